import { detectorCatalog } from '../../api/testing/fixtures';
import { newDefinition, setIn, withSourceType } from './definition';
import { checkParam, paramSpecs } from './jsonSchema';
import { fieldKeyOf, indexIssues, renderedKeys, validateDefinition } from './validation';

const catalog = detectorCatalog().detectors;
const mad = catalog.find((d) => d.type === 'mad')!;
const manual = catalog.find((d) => d.type === 'manual_bounds')!;

describe('parameter forms from the catalog’s JSON Schema', () => {
  test('reads kinds, defaults, nullability and bounds', () => {
    const specs = Object.fromEntries(paramSpecs(mad.params).map((s) => [s.name, s]));
    expect(specs.threshold).toMatchObject({ kind: 'number', default: 3, nullable: false });
    expect(specs.input_type).toMatchObject({
      kind: 'enum',
      options: ['values', 'changes', 'absolute_changes', 'log_changes'],
    });
    expect(specs.smoothing).toMatchObject({ kind: 'enum', nullable: true, options: ['ema', 'sma'] });
    expect(specs.seasonality_components).toMatchObject({ kind: 'other', nullable: true });
    expect(specs.batch_size).toMatchObject({ kind: 'integer', minimum: 1, maximum: undefined });
    const bounds = Object.fromEntries(paramSpecs(manual.params).map((s) => [s.name, s]));
    expect(bounds.lower_bound).toMatchObject({ kind: 'number', nullable: true });
  });

  test('checks values against what the schema states', () => {
    const specs = Object.fromEntries(paramSpecs(mad.params).map((s) => [s.name, s]));
    expect(checkParam(specs.batch_size!, 0)).toBe('batch_size must be at least 1');
    expect(checkParam(specs.batch_size!, 1.5)).toBe('batch_size must be an integer');
    expect(checkParam(specs.input_type!, 'raw values')).toMatch(/must be one of: values, changes/);
    expect(checkParam(specs.threshold!, undefined)).toBeNull();
    expect(checkParam(specs.threshold!, null)).toBe('threshold cannot be empty');
    expect(checkParam(specs.smoothing!, null)).toBeNull();
    const required = { ...specs.threshold!, required: true, default: undefined };
    expect(checkParam(required, undefined)).toBe('threshold is required');
  });
});

describe('validateDefinition', () => {
  test('a new definition with a name is valid', () => {
    expect(validateDefinition({ ...newDefinition(), name: 'x' }, catalog)).toEqual([]);
  });

  test('reports the service’s rules with their key paths', () => {
    let def = { ...newDefinition(), name: 'x', interval: '10 minutes' };
    def = setIn(def, ['detectors', 0, 'params', 'threshold'], -1);
    def = setIn(def, ['detectors', 0, 'params', 'batch_size'], 0);
    def = setIn(def, ['tags'], ['ok', 'not ok']);
    const issues = validateDefinition(def, catalog);
    expect(issues.map((i) => i.path).sort()).toEqual([
      'detectors[0].params.batch_size',
      'detectors[0].params.threshold',
      'interval',
      'tags[1]',
    ]);
  });

  test('unknown keys warn, like the service, without blocking', () => {
    const issues = validateDefinition({ ...newDefinition(), name: 'x', colour: 'red' }, catalog);
    expect(issues).toEqual([expect.objectContaining({ path: 'colour', severity: 'warning' })]);
  });

  test('a PromQL source needs a URL and a query, and no SQL', () => {
    const def = withSourceType({ ...newDefinition(), name: 'x' }, 'prometheus');
    expect(def.query).toBeUndefined();
    const paths = validateDefinition(def, catalog).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['source.url', 'source.query']));
  });
});

describe('which field shows an issue', () => {
  const rendered = renderedKeys(newDefinition());
  test.each([
    ['tags[2]', 'tags'],
    ['interval', 'interval'],
    ['detectors[3].params.x', 'detectors'],
    ['query', 'query'],
    ['source.url', null],
    ['query_file', null],
    [undefined, null],
  ])('%s → %s', (path, key) => expect(fieldKeyOf(path, rendered)).toBe(key));

  test('detector issues go to their own card', () => {
    const index = indexIssues(
      [
        { path: 'detectors[1].type', message: 'a', severity: 'error' },
        { path: 'detectors[10].params', message: 'b', severity: 'error' },
        { message: 'c', severity: 'error' },
      ],
      rendered
    );
    expect(index.detector(1).map((i) => i.message)).toEqual(['a']);
    expect(index.general.map((i) => i.message)).toEqual(['c']);
  });
});

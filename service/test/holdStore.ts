// Test helper: opens an embedded store on the directory given in argv, writes 3 datapoints, prints
// "ready" and holds the directory until SIGTERM.
import { Store } from '../src/storage';

async function main(): Promise<void> {
  const dir = process.argv[2]!;
  const store = await Store.open({
    type: 'embedded',
    path: dir,
    internal_database: 'dtk',
    data_database: 'default',
    settings: {},
  });
  await store.writeDatapoints({
    metricName: 'held',
    intervalSeconds: 60,
    timestamps: [60_000, 120_000, 180_000],
    values: [1, 2, 3],
  });
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    void store.close().then(() => process.exit(0));
  });
  setInterval(() => undefined, 1000);
}

void main();

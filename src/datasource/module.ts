import { DataSourcePlugin } from '@grafana/data';
import { DataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import type { AnomalyDataSourceOptions, AnomalyQuery, AnomalySecureJsonData } from './types';

export const plugin = new DataSourcePlugin<DataSource, AnomalyQuery, AnomalyDataSourceOptions, AnomalySecureJsonData>(
  DataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);

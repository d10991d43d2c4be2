import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

// Extends create-plugin's managed config (which must not be edited): the nested data source and
// panel reference the app's logo from their own folders, which the managed copy rules do not cover.
const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          { from: 'img/logo.svg', to: 'datasource/img/logo.svg' },
          { from: 'img/logo.svg', to: 'panels/bands/img/logo.svg' },
        ],
      }),
    ],
  });
};

export default config;

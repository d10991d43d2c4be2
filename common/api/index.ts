/** The dtk service HTTP API (DESIGN §10): request and response schemas shared by the service and the plugin. */
export * from './alerts';
export * from './detections';
export * from './detectors';
export * from './health';
export * from './metrics';
export * from './params';
export * from './preview';
export * from './runList';
export * from './runs';
export * from './series';

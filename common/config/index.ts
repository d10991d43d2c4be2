export * from './aliases';
export * from './datetime';
export * from './interval';
export * from './metric';
export * from './profile';
export * from './profiles';
export * from './project';

/**
 * Names of the User Timing measures BandChart records (visible in the browser's performance panel; the browser
 * test and `npm run bench -- browser` read them).
 */
export const DRAW_MEASURE = 'dtk-band-chart:setData-to-draw';
export const CREATE_MEASURE = 'dtk-band-chart:create-to-draw';

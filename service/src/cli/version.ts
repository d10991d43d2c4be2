/** The dtk version (CLI --version, the API's health answer). */
export const VERSION = '0.1.0';

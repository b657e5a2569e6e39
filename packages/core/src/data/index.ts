/** Data handling for training: conversion of user arrays to tensors, splitting and batching. */
export * from './convert.js';
export * from './batching.js';

/** Attention layers (`keras.layers` attention family). */
export { Attention, type AttentionArgs, type ScoreMode } from './attention.js';
export { AdditiveAttention, type AdditiveAttentionArgs } from './additive-attention.js';
export { MultiHeadAttention, type MultiHeadAttentionArgs } from './multi-head-attention.js';

/** `@strata/dropout`: the dropout toolkit. @packageDocumentation */
export {};

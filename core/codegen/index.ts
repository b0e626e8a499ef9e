// Codegen without Java: the `generated` package `dvp build -g` writes into srcDir.
export { generateDefinitions, type GenerateOptions, type GenerateResult, type GeneratedFile } from './generateDefinitions';
export { writeGeneratedDefinitions, type WriteResult } from './writeDefinitions';

export { generateFleet, type GenerateOptions, type GenerateSummary } from './generate.js';
export {
  readPatchEvents,
  readTruth,
  type TruthMeta,
  type TruthNode,
  type TruthPatchEvent,
  type TruthSeverity,
  type TruthStatus,
} from './truth.js';

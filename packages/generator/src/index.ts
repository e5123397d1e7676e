export { generateFleet, type GenerateOptions, type GenerateSummary } from './generate.js';
export {
  readPatchEvents,
  readTruth,
  type TruthMeta,
  type TruthNode,
  type TruthPatchEvent,
  type TruthStatus,
} from './truth.js';

export { buildProgram, main } from './main.js';
export { LocalFolderSource } from './sources/local-folder.js';
export { neutraliseFormula, renderCsv, renderReport } from './output.js';

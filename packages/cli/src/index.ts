export { buildProgram, main } from './main.js';
export { LocalFolderSource } from './sources/local-folder.js';
export { renderCsv, renderReport } from './output.js';

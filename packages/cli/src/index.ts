export { buildProgram, main } from './main.js';
export { LocalFolderSource } from './sources/local-folder.js';
export { renderCsv } from '@patchboard/core';
export { renderReport } from './output.js';

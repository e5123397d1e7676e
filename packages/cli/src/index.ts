export { buildProgram, main } from './main.js';
export { LocalFolderSource } from './sources/local-folder.js';
export { renderCsv } from '@patchboard/core';
export { renderReport } from './output.js';
export { S3Source } from './sources/s3.js';

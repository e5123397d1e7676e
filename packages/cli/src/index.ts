export { buildProgram, main } from './main.js';
export { LocalFolderSource } from './sources/local-folder.js';
export { renderCsv, renderReport } from './output.js';
export { S3Source } from './sources/s3.js';
export { createS3Client, S3_READ_CONCURRENCY } from './aws/s3.js';

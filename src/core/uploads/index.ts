export { chooseFilesAgain } from './again.ts';
export { type CleanFile, type CleanImage, type CleanOf, type CleanPdf, cleanUpload, cleanUploads, oversized, reencodeImage, type UploadPolicy, type UploadProblem } from './clean.ts';
export { type FileType, sniffFile } from './sniff.ts';

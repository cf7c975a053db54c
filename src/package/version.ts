export { VERSION } from './own-files.js';

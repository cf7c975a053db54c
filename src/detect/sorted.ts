// Moved to text/ (sources/ read it too, and must not import detect/); kept so detect's imports stand.
export { lastAtMost } from '../text/sorted.js';

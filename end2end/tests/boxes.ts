// Where the global set-up says which box each project tests.
import * as path from 'node:path';

export const E2E_DIR = path.resolve(__dirname, '../../target/e2e');
export const BOXES_FILE = path.join(E2E_DIR, 'boxes.json');

/** One box under test: its homepage, its HTTPS port, its certificate authority, its files. */
export type BoxUnderTest = {
  url: string;
  httpsPort: number;
  caPort: number;
  caDir: string;
  dataDir: string;
};

// Starts, for each project (JavaScript on, JavaScript off), a box of its own: the real release
// binary with an empty data folder, and a local certificate authority for it to ask. Every
// process binds port 0 and says which port it got, so no run depends on a port being free,
// and no project sees what the other left behind. The stop function is the global teardown.
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { startBoxProcess, startLocalCa, stop as stopProcess } from './processes';
import { BOXES_FILE, BoxUnderTest, E2E_DIR } from './tests/boxes';

async function startBox(project: string, processes: ChildProcess[]): Promise<BoxUnderTest> {
  const dir = path.join(E2E_DIR, project);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const caDir = path.join(dir, 'local-ca');

  const ca = await startLocalCa(caDir);
  processes.push(ca.child);
  const box = await startBoxProcess(
    dir,
    ca.url,
    ca.caFile,
    // Fast polling so the live-update tests take seconds.
    { IOTBOX_POLL_INTERVAL: '1s' },
  );
  processes.push(box.child);
  return { url: box.url, httpsPort: box.httpsPort, caPort: ca.port, caDir, dataDir: box.dataDir };
}

export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const processes: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map(stopProcess));
  };
  try {
    const boxes: Record<string, BoxUnderTest> = {};
    for (const project of config.projects) {
      boxes[project.name] = await startBox(project.name, processes);
    }
    fs.writeFileSync(BOXES_FILE, JSON.stringify(boxes, null, 2));
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}

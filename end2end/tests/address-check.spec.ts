// The HTTPS address check in the page: a box with a real certificate asks two local DNS
// servers, one as the network's resolver and one as the public resolver, played as the
// vendor's domain (names spell their IP), as a router refusing this network's addresses
// (DNS rebinding protection), or as a record pointing elsewhere. "Run diagnostics" runs it,
// with JavaScript on and off; while the name does not resolve, the page offers the way in by
// IP address and the router's fix.
import { startLocalDns } from '../processes';
import { expect, machineNetworkIdentity, test } from './box';
import { ownBox, ownFolder, projectCa, stopOwnProcesses, track } from './own-boxes';

test.afterEach(stopOwnProcesses);

async function dns(name: string, args: string[]): Promise<string> {
  const [child, address] = await startLocalDns(ownFolder(`dns-${name}`), args);
  track(child);
  return address;
}

/** A router with DNS rebinding protection for this machine's network, whatever its address. */
const ROUTER = () => ['--refuse-private', '--refuse', machineNetworkIdentity().ip];

for (const [name, network, publicArgs, verdict, title, fix] of [
  ['vendor-like DNS', [], [], 'resolves_here', 'The HTTPS address resolves to this box', null],
  ['a router that refuses private answers', ROUTER(), [], 'router_blocks', 'The router\'s DNS blocks the HTTPS address', 'Google DNS (8.8.8.8 and 8.8.4.4)'],
  ['a record pointing elsewhere', ['--points-to', '192.0.2.1'], [], 'resolves_elsewhere', 'resolves to another device', 'Remove the entry for this name'],
  ['no resolver that knows it', ROUTER(), ROUTER(), 'not_found', 'No DNS finds the HTTPS address', 'support ticket'],
] as [string, string[], string[], string, string, string | null][]) {
  test(`address check: ${name}`, async ({ page }) => {
    const networkDns = await dns('network', network);
    const publicDns = await dns('public', publicArgs);
    const own = await ownBox(name.replaceAll(' ', '-'), projectCa().url, projectCa().file, {
      IOTBOX_DNS_RESOLVER: networkDns,
      IOTBOX_PUBLIC_DNS: publicDns,
    });

    // Once the box has its certificate it has an HTTPS address to check.
    await expect(async () => {
      await page.goto(own.url);
      await expect(page.getByTestId('https-address')).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByTestId('address-none')).toContainText('Not checked yet');
    await page.getByTestId('run-diagnostics').click();

    const shown = page.getByTestId('address-verdict');
    await expect(shown).toHaveAttribute('data-verdict', verdict);
    await expect(shown).toContainText(title);
    const section = page.locator('#diagnostics');
    if (fix) await expect(page.getByTestId('address-fix')).toContainText(fix);
    else await expect(page.getByTestId('address-fix')).toHaveCount(0);
    // Each resolver, with its address and how long it took.
    await expect(section.locator('[data-lookup="network"]')).toContainText(networkDns);
    await expect(section.locator('[data-lookup="public"]')).toContainText(/\(\d+ ms\)/);
    // The route is checked in the same run, and works.
    await expect(page.getByTestId('diagnosis-verdict')).toHaveAttribute('data-verdict', 'fine');
    // While the name does not resolve here: the way in by IP, and the router's fix by family.
    const wayIn = page.getByTestId('way-in');
    if (verdict === 'router_blocks' || verdict === 'not_found') {
      await expect(wayIn.getByTestId('way-in-by-ip').getByRole('link')).toHaveAttribute('href', own.url);
      await expect(wayIn.getByTestId('way-in-routers')).toContainText('OpenWrt');
      await expect(wayIn.getByTestId('way-in-routers')).toContainText('iotbox.localhost');
      // It is one of the problems to fix, with the checks one click away.
      await expect(page.locator('[data-testid=repair][data-repair=address]').getByRole('button', { name: 'Run the checks again' })).toBeVisible();
    } else {
      await expect(wayIn).toHaveCount(0);
    }
  });
}

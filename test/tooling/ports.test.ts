// scripts/lib/ports.ts: what npm start / npm run demo / the e2e suite listen on when another n8n holds its ports.
import { createServer, Server } from 'node:net';

import { brokerPortEnv, choosePort, freePort, isPortFree, portFromEnv } from '../../scripts/lib/ports';

let held: Server;
let heldPort: number;

beforeAll(async () => {
	held = createServer();
	await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', () => resolve()));
	heldPort = (held.address() as { port: number }).port;
});
afterAll(() => held.close());

it('sees a taken port as taken and a fresh free port as free', async () => {
	expect(await isPortFree(heldPort)).toBe(false);
	expect(await isPortFree(await freePort())).toBe(true);
});

it('keeps the preferred port when it is free and moves to another when it is taken', async () => {
	const free = await freePort();
	expect(await choosePort('PLEK_TEST_PORT', free, {})).toBe(free);
	const moved = await choosePort('PLEK_TEST_PORT', heldPort, {});
	expect(moved).not.toBe(heldPort);
	expect(await isPortFree(moved)).toBe(true);
});

it('uses the port the user set, and names the variable when that port is taken or no port', async () => {
	const free = await freePort();
	expect(await choosePort('PLEK_TEST_PORT', heldPort, { PLEK_TEST_PORT: String(free) })).toBe(free);
	await expect(choosePort('PLEK_TEST_PORT', undefined, { PLEK_TEST_PORT: String(heldPort) })).rejects.toThrow(
		`Port ${heldPort} (PLEK_TEST_PORT) is already in use`,
	);
	expect(() => portFromEnv('PLEK_TEST_PORT', { PLEK_TEST_PORT: 'abc' })).toThrow('PLEK_TEST_PORT=abc is not a port number');
	expect(portFromEnv('PLEK_TEST_PORT', { PLEK_TEST_PORT: ' ' })).toBeUndefined();
});

it("gives every n8n process its own task broker port unless N8N_RUNNERS_BROKER_PORT is set", async () => {
	const env = await brokerPortEnv({ N8N_USER_FOLDER: '/x' });
	const port = Number(env.N8N_RUNNERS_BROKER_PORT);
	expect(port).toBeGreaterThan(0);
	expect(port).not.toBe(5679);
	expect(env.N8N_USER_FOLDER).toBe('/x');
	expect(await brokerPortEnv({ N8N_RUNNERS_BROKER_PORT: '6001' })).toEqual({ N8N_RUNNERS_BROKER_PORT: '6001' });
});

// Not a port, but the same harness: n8n execute prints its run data and exits; on a pipe the end was lost.
it('run() with stdoutFile keeps all of a large write made right before process.exit', async () => {
	const { run } = await import('../../scripts/lib/n8n');
	const { tmpdir } = await import('node:os');
	const { join } = await import('node:path');
	const { existsSync } = await import('node:fs');
	const file = join(tmpdir(), `plek-stdout-${process.pid}.log`);
	const script = 'process.stdout.write("x".repeat(3000000)); process.exit(0)';
	const result = await run(process.execPath, ['-e', script], { stdoutFile: file });
	expect(result.stdout.length).toBe(3_000_000);
	expect(existsSync(file)).toBe(false);
});

/**
 * Ports for everything the tooling starts (n8n's editor and task broker, the sandbox, LDAP, the HR API, the mail
 * catcher). Nothing may assume a fixed port is free: another n8n (5678 editor, 5679 task broker), a second checkout
 * or a test run may hold it. A port the user sets is used as given (and a clear error names it when taken); anything
 * else is a free one.
 */
import { createServer } from 'node:net';

/** A port nothing listens on right now (the kernel's choice for port 0 on loopback). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** True when nothing listens on the port on loopback (and on all interfaces, where n8n's editor binds by default). */
export async function isPortFree(port: number): Promise<boolean> {
	for (const host of ['127.0.0.1', '0.0.0.0']) {
		const free = await new Promise<boolean>((resolve) => {
			const server = createServer();
			server.once('error', () => resolve(false));
			server.listen(port, host, () => server.close(() => resolve(true)));
		});
		if (!free) return false;
	}
	return true;
}

/** The port in environment variable `name`, or undefined when it is not set. Throws for a value that is no port. */
export function portFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): number | undefined {
	const raw = env[name]?.trim();
	if (!raw) return undefined;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 1 || port > 65535) {
		throw new Error(`${name}=${raw} is not a port number (1-65535): set it to a free port or unset it to let one be picked`);
	}
	return port;
}

/**
 * The port to listen on: the one in `envName` when the user set it (an error when it is taken, naming the variable),
 * else `preferred` when it is free (a stable address across restarts), else a free one.
 */
export async function choosePort(envName: string, preferred?: number, env: NodeJS.ProcessEnv = process.env): Promise<number> {
	const set = portFromEnv(envName, env);
	if (set !== undefined) {
		if (!(await isPortFree(set))) {
			throw new Error(`Port ${set} (${envName}) is already in use: stop what holds it or choose another ${envName}`);
		}
		return set;
	}
	if (preferred !== undefined && (await isPortFree(preferred))) return preferred;
	return freePort();
}

/** n8n's task broker (N8N_RUNNERS_BROKER_PORT, 5679 by default): the user's value or a free port, for each n8n process. */
export async function brokerPortEnv(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
	if (portFromEnv('N8N_RUNNERS_BROKER_PORT', env) !== undefined) return env;
	return { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
}

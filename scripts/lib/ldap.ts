/** The OpenLDAP server playing Active Directory (scripts/ldap-server.sh), driven from TypeScript. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_DIR, run } from './n8n';
import { freePort } from './ports';

const SCRIPT = join(REPO_DIR, 'scripts', 'ldap-server.sh');

export interface LdapSettings {
	url: string;
	host: string;
	port: number;
	baseDn: string;
	usersDn: string;
	bindDn: string;
	bindPassword: string;
}

export class LdapServer {
	private constructor(
		readonly settings: LdapSettings,
		private readonly dir: string,
	) {}

	private static env(port: number, dir: string): NodeJS.ProcessEnv {
		return { ...process.env, PLEK_LDAP_PORT: String(port), PLEK_LDAP_DIR: dir };
	}

	/** Starts slapd on a free loopback port with the given LDIF files (default: the bundled sample organisation). */
	static async start(options: { dir: string; port?: number; ldifs?: string[] }): Promise<LdapServer> {
		const port = options.port ?? (await freePort());
		const result = await run('bash', [SCRIPT, 'start', ...(options.ldifs ?? [])], {
			env: LdapServer.env(port, options.dir),
			timeoutMs: 300_000,
		});
		if (result.code !== 0) throw new Error(`scripts/ldap-server.sh start failed:\n${result.stderr}`);
		const baseDn = 'DC=delinde,DC=local';
		return new LdapServer(
			{
				url: `ldap://127.0.0.1:${port}`,
				host: '127.0.0.1',
				port,
				baseDn,
				usersDn: `OU=Staff,${baseDn}`,
				bindDn: `CN=svc-plek,OU=Service Accounts,${baseDn}`,
				bindPassword: 'plek-sync-demo',
			},
			options.dir,
		);
	}

	/** Applies an LDIF change record (ldapmodify as the directory manager). */
	async modify(ldif: string): Promise<void> {
		const file = join(this.dir, `change-${Date.now()}.ldif`);
		writeFileSync(file, ldif);
		const result = await run('bash', [SCRIPT, 'modify', file], { env: LdapServer.env(this.settings.port, this.dir) });
		if (result.code !== 0) throw new Error(`ldapmodify failed:\n${result.stderr}`);
	}

	/** Sets one attribute of one entry. */
	async replace(dn: string, attribute: string, value: string): Promise<void> {
		const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
		await this.modify(`dn:: ${b64(dn)}\nchangetype: modify\nreplace: ${attribute}\n${attribute}:: ${b64(value)}\n-\n`);
	}

	async stop(): Promise<void> {
		await run('bash', [SCRIPT, 'stop'], { env: LdapServer.env(this.settings.port, this.dir) });
	}
}

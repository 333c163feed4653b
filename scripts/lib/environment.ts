/**
 * One end-to-end environment: real n8n (fresh user folder, this package installed as a community package), the
 * Plek sandbox in this process, and optionally the OpenLDAP server playing AD and the HR API. Credentials for all
 * of them are imported into n8n with fixed ids, so converted templates can point at them.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox/server';
import { HrApiServer, loadSampleEmployees, startHrApi } from './hr-api-server';
import { LdapServer } from './ldap';
import { CredentialExport, ensureRuntime, N8nInstance, packPackage, REPO_DIR, Runtime } from './n8n';
import { freePort } from './ports';

/** Credential ids (n8n ids are 16 alphanumeric characters). */
export const CREDENTIALS = {
	plekApi: { id: 'PlekSandbox00001', name: 'Plek sandbox' },
	ldap: { id: 'LdapSampleAd0001', name: 'Active Directory (sample)' },
	smtp: { id: 'SmtpLocalhost001', name: 'SMTP (local)' },
	httpHeaderAuth: { id: 'HrApiKey00000001', name: 'HR API key' },
} as const;

export const HR_API_KEY = 'hr-api-demo-key';

export interface EnvironmentOptions {
	ldap?: boolean;
	hrApi?: boolean;
	sandbox?: Partial<SandboxOptions>;
	/** SMTP server the Send Email nodes use (default: a free loopback port with nothing listening, so no other mail catcher on the machine gets the mail). */
	smtp?: { host: string; port: number };
	/** Progress lines (the demo prints them; tests stay quiet). */
	log?: (line: string) => void;
	/** Keep the n8n user folder after close (debugging). */
	keep?: boolean;
	/** Extra environment for every n8n command. */
	n8nEnv?: NodeJS.ProcessEnv;
	/** Use this folder as the n8n user folder instead of a fresh temporary one (kept on close). */
	userFolder?: string;
	/** n8n's encryption key (a persistent user folder needs the same one every time). */
	encryptionKey?: string;
	/** Ports chosen by the caller (npm start, see scripts/lib/ports.ts); default: free ports. */
	ldapPort?: number;
	hrApiPort?: number;
}

export interface E2eEnvironment {
	runtime: Runtime;
	n8n: N8nInstance;
	sandbox: RunningSandbox;
	ldap?: LdapServer;
	hrApi?: HrApiServer;
	workDir: string;
	close(): Promise<void>;
}

export async function startEnvironment(options: EnvironmentOptions = {}): Promise<E2eEnvironment> {
	const log = options.log ?? (() => undefined);
	const workDir = mkdtempSync(join(tmpdir(), 'plek-e2e-'));
	const cleanups: Array<() => Promise<void> | void> = [];
	const close = async () => {
		for (const cleanup of cleanups.reverse()) {
			try {
				await cleanup();
			} catch (error) {
				console.error(`cleanup failed: ${(error as Error).message}`);
			}
		}
		if (!options.keep) rmSync(workDir, { recursive: true, force: true });
	};
	try {
		log('Checking the n8n runtime (n8n 2.x on Node 24)...');
		const runtime = ensureRuntime({ quiet: !options.log });

		log('Packing n8n-nodes-plek (npm pack) and installing it into a fresh n8n as a community package...');
		const tarball = await packPackage(join(workDir, 'pack'));
		const n8n = N8nInstance.create(runtime, {
			userFolder: options.userFolder ?? join(workDir, 'n8n'),
			env: options.n8nEnv,
			encryptionKey: options.encryptionKey,
		});
		if (!options.keep && options.userFolder === undefined) cleanups.push(() => n8n.cleanup());
		await n8n.installCommunityPackage(tarball);

		log('Starting the Plek sandbox...');
		const sandbox = await startSandbox({ quiet: true, ...options.sandbox });
		cleanups.push(() => sandbox.close());

		let ldap: LdapServer | undefined;
		if (options.ldap) {
			log('Starting OpenLDAP with the sample organisation (samples/ad.ldif)...');
			const ldapDir = join(workDir, 'ldap');
			mkdirSync(ldapDir, { recursive: true });
			ldap = await LdapServer.start({ dir: ldapDir, port: options.ldapPort });
			cleanups.push(() => ldap!.stop());
		}

		let hrApi: HrApiServer | undefined;
		if (options.hrApi) {
			hrApi = await startHrApi({ employees: loadSampleEmployees(REPO_DIR), apiKey: HR_API_KEY, port: options.hrApiPort });
			cleanups.push(() => hrApi!.close());
		}

		log('Importing credentials into n8n...');
		const smtp = options.smtp ?? { host: '127.0.0.1', port: await freePort() };
		const credentials: CredentialExport[] = [
			{
				...CREDENTIALS.plekApi,
				type: 'plekApi',
				data: {
					environmentUrl: sandbox.url,
					authentication: 'clientCredentials',
					clientId: sandbox.options.clientId,
					clientSecret: sandbox.options.clientSecret,
					tokenUrl: '',
					scope: '',
					clientAuthentication: 'body',
					scimBasePath: '/scim/v2',
				},
			},
			{
				...CREDENTIALS.smtp,
				type: 'smtp',
				data: { user: '', password: '', host: smtp.host, port: smtp.port, secure: false, disableStartTls: true },
			},
			{
				...CREDENTIALS.httpHeaderAuth,
				type: 'httpHeaderAuth',
				data: { name: 'Authorization', value: `Bearer ${HR_API_KEY}` },
			},
		];
		if (ldap) {
			credentials.push({
				...CREDENTIALS.ldap,
				type: 'ldap',
				data: {
					hostname: ldap.settings.host,
					port: String(ldap.settings.port),
					bindDN: ldap.settings.bindDn,
					bindPassword: ldap.settings.bindPassword,
					connectionSecurity: 'none',
					allowUnauthorizedCerts: false,
					timeout: 300,
				},
			});
		}
		await n8n.importCredentials(credentials);

		return { runtime, n8n, sandbox, ldap, hrApi, workDir, close };
	} catch (error) {
		await close();
		throw error;
	}
}

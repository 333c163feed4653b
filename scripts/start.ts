/**
 * `npm start`: the n8n editor on http://localhost:5678 with n8n-nodes-plek installed as a community package, the
 * Plek sandbox, the sample Active Directory (OpenLDAP), the sample HR API, stand-ins of the Dutch HR systems (AFAS
 * Profit, Youforce, Nmbrs, Loket.nl: sandbox/hr/) and a local mail catcher running, their credentials created and the
 * templates imported. Ctrl+C stops everything.
 *
 * The editor's data lives in .runtime/n8n-user (git-ignored) and survives restarts; `npm start -- --reset` starts
 * from scratch.
 *
 * Ports: every server takes the port you set (PLEK_EDITOR_PORT, PLEK_SANDBOX_PORT, PLEK_LDAP_PORT, PLEK_HR_API_PORT,
 * PLEK_SMTP_PORT, PLEK_AFAS_PORT, PLEK_YOUFORCE_PORT, PLEK_NMBRS_PORT, PLEK_LOKET_PORT, N8N_RUNNERS_BROKER_PORT), else
 * the port it had last time (.runtime/ports.json) or its usual one (5678, 8787, 3389, 8788, 2525, 8790-8793) when
 * free, else a free one: npm start runs beside another n8n on the machine.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startEditor, OWNER } from './lib/editor';
import { startEnvironment } from './lib/environment';
import { REPO_DIR } from './lib/n8n';
import { choosePort } from './lib/ports';
import { groupSeed } from './lib/samples';
import { startSmtpSink } from './lib/smtp-sink';
import { localTemplate, placeSampleCsv, TEMPLATE_NAMES } from './lib/templates';
import { loadTemplate } from './lib/workflows';
import { writeAfasExport } from '../sandbox/hr/afas-export';
import { DUTCH_HR_TEMPLATES, DutchHrStandIns, hrCredentials, pointAtStandIns, startDutchHr } from '../sandbox/hr/index';

const RUNTIME = join(REPO_DIR, '.runtime');
const USER_FOLDER = join(RUNTIME, 'n8n-user');
const FILES = join(RUNTIME, 'files');
const PORTS_FILE = join(RUNTIME, 'ports.json');

/** The usual port of each server, by the environment variable that sets it. */
const USUAL_PORTS = {
	PLEK_EDITOR_PORT: 5678,
	PLEK_SANDBOX_PORT: 8787,
	PLEK_LDAP_PORT: 3389,
	PLEK_HR_API_PORT: 8788,
	PLEK_SMTP_PORT: 2525,
	PLEK_AFAS_PORT: 8790,
	PLEK_YOUFORCE_PORT: 8791,
	PLEK_NMBRS_PORT: 8792,
	PLEK_LOKET_PORT: 8793,
} as const;
const LABELS: Record<keyof typeof USUAL_PORTS, string> = {
	PLEK_EDITOR_PORT: 'the n8n editor',
	PLEK_SANDBOX_PORT: 'the Plek sandbox',
	PLEK_LDAP_PORT: 'Active Directory (OpenLDAP)',
	PLEK_HR_API_PORT: 'the HR API',
	PLEK_SMTP_PORT: 'the mail catcher',
	PLEK_AFAS_PORT: 'AFAS Profit (stand-in)',
	PLEK_YOUFORCE_PORT: 'Youforce (stand-in)',
	PLEK_NMBRS_PORT: 'Nmbrs (stand-in)',
	PLEK_LOKET_PORT: 'Loket.nl (stand-in)',
};
const HR_PORTS = ['PLEK_AFAS_PORT', 'PLEK_YOUFORCE_PORT', 'PLEK_NMBRS_PORT', 'PLEK_LOKET_PORT'] as const;
type PortName = keyof typeof USUAL_PORTS;

/** Chooses every port (see the header) and remembers them, so a restart keeps the addresses when it can. */
async function choosePorts(): Promise<{ ports: Record<PortName, number>; previous: Partial<Record<PortName, number>> }> {
	const previous = existsSync(PORTS_FILE) ? (JSON.parse(readFileSync(PORTS_FILE, 'utf8')) as Partial<Record<PortName, number>>) : {};
	const ports = {} as Record<PortName, number>;
	for (const name of Object.keys(USUAL_PORTS) as PortName[]) {
		ports[name] = await choosePort(name, previous[name] ?? USUAL_PORTS[name]);
		const wanted = previous[name] ?? USUAL_PORTS[name];
		if (!process.env[name] && ports[name] !== wanted) say(`Port ${wanted} is in use: ${LABELS[name]} takes ${ports[name]} (set ${name} to choose)`);
	}
	writeFileSync(PORTS_FILE, JSON.stringify(ports, null, 2));
	return { ports, previous };
}

const say = (line: string) => console.log(`[plek] ${line}`);

async function main() {
	if (process.argv.includes('--reset')) {
		say('Resetting .runtime/ (editor data, sandbox data)...');
		rmSync(RUNTIME, { recursive: true, force: true });
	}
	mkdirSync(RUNTIME, { recursive: true });
	if (!existsSync(join(REPO_DIR, 'dist', 'nodes'))) {
		say('Building the package (npm run build)...');
		if (spawnSync('npm', ['run', 'build'], { cwd: REPO_DIR, stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
	}
	const keyFile = join(RUNTIME, 'encryption-key');
	if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(24).toString('hex'), { mode: 0o600 });
	const firstStart = !existsSync(join(USER_FOLDER, '.n8n', 'database.sqlite'));

	const { ports, previous } = await choosePorts();
	const smtp = await startSmtpSink(ports.PLEK_SMTP_PORT);
	const csvPath = placeSampleCsv(FILES);
	say('Preparing n8n 2.x on Node 24 (the first time this downloads about 3 GB and takes a few minutes)...');
	const env = await startEnvironment({
		ldap: true,
		hrApi: true,
		log: say,
		userFolder: USER_FOLDER,
		encryptionKey: readFileSync(keyFile, 'utf8').trim(),
		ldapPort: ports.PLEK_LDAP_PORT,
		hrApiPort: ports.PLEK_HR_API_PORT,
		smtp: { host: smtp.host, port: smtp.port },
		sandbox: { port: ports.PLEK_SANDBOX_PORT, persistFile: join(RUNTIME, 'sandbox.json') },
		n8nEnv: { N8N_RESTRICT_FILE_ACCESS_TO: FILES },
	});
	if (env.sandbox.groups().length === 0) env.sandbox.load({ users: env.sandbox.users(), groups: groupSeed().groups });
	const hr = await startDutchHrSystems(env, ports, previous, firstStart);

	if (firstStart) {
		say('Importing the templates...');
		await env.n8n.importWorkflow(localTemplate('error-workflow', env));
		for (const name of TEMPLATE_NAMES) await env.n8n.importWorkflow(localTemplate(name, env, { csvPath }));
	} else if (previous.PLEK_HR_API_PORT !== undefined && previous.PLEK_HR_API_PORT !== ports.PLEK_HR_API_PORT) {
		// The credentials are imported on every start; the HR API's address is in the REST template's HTTP Request node.
		say(`The HR API moved to port ${ports.PLEK_HR_API_PORT}: re-importing the HR REST API workflow with the new address...`);
		await env.n8n.importWorkflow(localTemplate('hr-rest-api', env, { csvPath }));
	}

	say(`Starting the n8n editor on port ${ports.PLEK_EDITOR_PORT}...`);
	const editor = await startEditor(env, { port: ports.PLEK_EDITOR_PORT, extraEnv: { N8N_RESTRICT_FILE_ACCESS_TO: FILES } });
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		say('Stopping...');
		await editor.stop();
		await hr.close();
		await env.close();
		await smtp.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	editor.process.on('exit', (code) => {
		if (!stopping) {
			say(`n8n exited (code ${code})`);
			void stop();
		}
	});
	let seen = 0;
	setInterval(() => {
		for (const mail of smtp.messages.slice(seen)) say(`E-mail received (not sent anywhere): "${mail.subject}" to ${mail.to.join(', ')}`);
		seen = smtp.messages.length;
	}, 1000).unref();

	console.log(`
  n8n editor:        ${editor.url}
  log in with:       ${OWNER.email} / ${OWNER.password}

  Workflows:         Plek user sync: Active Directory (LDAP) | HR export file (CSV) | HR REST API | the Dutch HR systems
                     (AFAS Profit export, AFAS Profit OAuth / classic token, Youforce, Nmbrs, Loket.nl), and the error workflow.
                     Open one and press "Execute workflow": it syncs the sample organisation into the Plek sandbox.
  Plek sandbox:      ${env.sandbox.url}  (state: ${env.sandbox.url}/_sandbox/state, data in .runtime/sandbox.json)
  Active Directory:  ${env.ldap!.settings.url}  (bind ${env.ldap!.settings.bindDn} / ${env.ldap!.settings.bindPassword})
  HR API:            ${env.hrApi!.employeesUrl}
  HR export file:    ${csvPath}
  Dutch HR systems:  AFAS Profit ${hr.afas.baseUrl} | Youforce ${hr.youforce.url} | Nmbrs ${hr.nmbrs.url} | Loket.nl ${hr.loket.url}
                     (stand-ins with the same people; AFAS export file ${join(FILES, 'afas-medewerkers.csv')})
  Report e-mails:    caught on ${smtp.host}:${smtp.port} and printed here

  Ctrl+C stops everything. Editor data: .runtime/n8n-user; npm start -- --reset starts over (also the way out when
  a second template reports hundreds of conflicts: the first one already created these people in the sandbox).
`);
}

/**
 * The Dutch HR stand-ins (in this process, cheap), their credentials (imported on every start: the Nmbrs and Loket
 * tokens are new each time) and their templates (imported on the first start, or again when a stand-in moved).
 */
async function startDutchHrSystems(
	env: Awaited<ReturnType<typeof startEnvironment>>,
	ports: Record<PortName, number>,
	previous: Partial<Record<PortName, number>>,
	firstStart: boolean,
): Promise<DutchHrStandIns> {
	say('Starting the Dutch HR stand-ins (AFAS Profit, Youforce, Nmbrs, Loket.nl)...');
	const hr = await startDutchHr({
		ports: { afas: ports.PLEK_AFAS_PORT, youforce: ports.PLEK_YOUFORCE_PORT, nmbrs: ports.PLEK_NMBRS_PORT, loket: ports.PLEK_LOKET_PORT },
	});
	const exportPath = writeAfasExport(join(FILES, 'afas-medewerkers.csv'));
	await env.n8n.importCredentials(hrCredentials(hr));
	const moved = HR_PORTS.some((name) => previous[name] !== ports[name]);
	if (firstStart || moved) {
		if (!firstStart) say('A Dutch HR stand-in moved to another port: re-importing its templates with the new address...');
		for (const name of DUTCH_HR_TEMPLATES) {
			const workflow = structuredClone(loadTemplate(name));
			pointAtStandIns(workflow, hr, exportPath);
			await env.n8n.importWorkflow(workflow);
		}
	}
	return hr;
}

main().catch((error) => {
	console.error(`npm start failed: ${(error as Error).message}`);
	process.exit(1);
});

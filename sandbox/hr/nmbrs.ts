/**
 * Nmbrs REST API stand-in, serving the sample organisation:
 *
 *   GET  /connect/authorize, POST /connect/token      OAuth2 authorization code (+ refresh token), see AuthorizationCodeFlow
 *   GET  /api/companies/{companyId}/employees?pageNumber=&pageSize=
 *        -> { data: [...], pagination: { pageNumber, pageSize, totalPages, totalItems } }
 *
 * Nmbrs knows only the current department, function and manager of an employee: one record per employee, the
 * manager as the manager's `employeeId` (a GUID, Nmbrs' stable key). Bearer token required (401 otherwise); an
 * unknown company is 404.
 */
import { createHash } from 'node:crypto';

import { AuthorizationCodeFlow, reply, serve, StandIn } from './http';
import { HrPerson, hrPeople } from './people';

export const NMBRS_DEFAULTS = { clientId: 'plek-sync-nmbrs', clientSecret: 'nmbrs-stand-in-secret', companyId: '4a3c1f0e-0b1d-4c2e-9f3a-5d6e7f8a9b0c' };

export interface NmbrsStandIn extends StandIn {
	oauth: AuthorizationCodeFlow;
	authorizeUrl: string;
	tokenUrl: string;
	employeesUrl: string;
	setPeople(people: HrPerson[]): void;
}

/** Nmbrs' employee id for a sample person: a GUID derived from the employee number (stable across runs). */
export function nmbrsEmployeeId(employeeNumber: string): string {
	const hex = createHash('sha1').update(`nmbrs/${employeeNumber}`).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function nmbrsEmployees(people: HrPerson[]): Array<Record<string, unknown>> {
	return people.map((person) => {
		const main = person.contracts[person.mainContract];
		return {
			employeeId: nmbrsEmployeeId(person.employeeNumber),
			employeeNumber: Number(person.employeeNumber),
			personalInfo: {
				firstName: person.givenName,
				initials: person.initials,
				prefix: person.particle || null,
				lastName: person.familyName,
				partnerPrefix: person.partnerParticle || null,
				partnerLastName: person.partnerName || null,
				nameUse: person.nameUse,
				businessEmail: person.email,
			},
			employment: { startDate: person.hireDate, endDate: person.leaveDate },
			department: { code: main.department.slice(0, 3).toUpperCase(), description: main.department },
			function: { code: main.title.replace(/\s+/g, '').slice(0, 6).toUpperCase(), description: main.title },
			manager: person.manager ? { employeeId: nmbrsEmployeeId(person.manager) } : null,
		};
	});
}

export async function startNmbrs(options: { port?: number; people?: HrPerson[] } = {}): Promise<NmbrsStandIn> {
	const oauth = new AuthorizationCodeFlow({ id: NMBRS_DEFAULTS.clientId, secret: NMBRS_DEFAULTS.clientSecret });
	let employees = nmbrsEmployees(options.people ?? hrPeople());

	const server = await serve((req, url, body) => {
		const path = url.pathname.replace(/\/+$/, '');
		if (req.method === 'GET' && path === '/connect/authorize') return oauth.authorize(url);
		if (req.method === 'POST' && path === '/connect/token') return oauth.token(req, body);
		const match = /^\/api\/companies\/([^/]+)\/employees$/.exec(path);
		if (req.method !== 'GET' || !match) return reply(404, { title: 'Not Found', status: 404, detail: `No endpoint ${req.method} ${path}.` });
		if (!oauth.accessTokens.valid(req.headers.authorization)) return reply(401, { title: 'Unauthorized', status: 401, detail: 'The access token is missing, invalid or expired.' });
		if (match[1] !== NMBRS_DEFAULTS.companyId) return reply(404, { title: 'Not Found', status: 404, detail: `Company ${match[1]} does not exist or is not shared with this app.` });
		const pageSize = Math.min(Math.max(Number(url.searchParams.get('pageSize') ?? 100) || 100, 1), 100);
		const pageNumber = Math.max(Number(url.searchParams.get('pageNumber') ?? 1) || 1, 1);
		const data = employees.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
		const totalPages = Math.ceil(employees.length / pageSize);
		return reply(200, { data, pagination: { pageNumber, pageSize, totalPages, totalItems: employees.length } });
	}, options.port);

	return {
		...server,
		oauth,
		authorizeUrl: `${server.url}/connect/authorize`,
		tokenUrl: `${server.url}/connect/token`,
		employeesUrl: `${server.url}/api/companies/${NMBRS_DEFAULTS.companyId}/employees`,
		setPeople: (people) => {
			employees = nmbrsEmployees(people);
		},
	};
}

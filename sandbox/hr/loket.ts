/**
 * Loket.nl REST API (v2) stand-in, serving the sample organisation:
 *
 *   GET  /oauth/authorize, POST /oauth/token        OAuth2 authorization code (+ single-use refresh tokens)
 *   GET  /v2/providers/employers/{employerId}/employees/employments/comprehensive?pageNumber=&pageSize=
 *        -> { _embedded: [...], currentPage, pageSize, totalSize, totalPages }
 *
 * One item per employment (a person with two contracts has two), the employee embedded with `personalDetails`
 * (`prefix`, `lastName`, `prefixPartner`, `lastNamePartner`, `howToFormatLastName` {key, value}) and
 * `contactInformation.emailAddress`. Loket has no manager field: the customer keeps the manager's e-mail address in
 * an employee custom field (`E-mail leidinggevende`), so the template finds the manager by e-mail. Bearer token
 * required (401 otherwise); an unknown employer is 403.
 */
import { createHash } from 'node:crypto';

import { AuthorizationCodeFlow, reply, serve, StandIn } from './http';
import { HrPerson, hrPeople, NameUse } from './people';

export const LOKET_DEFAULTS = { clientId: 'plek-sync-loket', clientSecret: 'loket-stand-in-secret', employerId: '7d2b9c4e-1f3a-4b5c-8d6e-0a1b2c3d4e5f' };
export const LOKET_MANAGER_FIELD = 'E-mail leidinggevende';

/** Loket's "howToFormatLastName" choices. */
export const LOKET_NAME_FORMAT: Record<NameUse, { key: number; value: string }> = {
	B: { key: 1, value: 'last name' },
	BP: { key: 2, value: 'last name + last name partner' },
	P: { key: 3, value: 'last name partner' },
	PB: { key: 4, value: 'last name partner + last name' },
};

export interface LoketStandIn extends StandIn {
	oauth: AuthorizationCodeFlow;
	authorizeUrl: string;
	tokenUrl: string;
	employmentsUrl: string;
	setPeople(people: HrPerson[]): void;
}

const guid = (seed: string) => {
	const hex = createHash('sha1').update(`loket/${seed}`).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-b${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

export function loketEmployments(people: HrPerson[]): Array<Record<string, unknown>> {
	const email = new Map(people.map((person) => [person.employeeNumber, person.email]));
	return people.flatMap((person) => {
		const employee = {
			id: guid(person.employeeNumber),
			employeeNumber: Number(person.employeeNumber),
			personalDetails: {
				firstName: person.givenName,
				initials: person.initials,
				prefix: person.particle || null,
				lastName: person.familyName,
				prefixPartner: person.partnerParticle || null,
				lastNamePartner: person.partnerName || null,
				howToFormatLastName: LOKET_NAME_FORMAT[person.nameUse],
			},
			contactInformation: { emailAddress: person.email },
			customFields: [{ description: LOKET_MANAGER_FIELD, value: person.manager ? (email.get(person.manager) ?? null) : null }],
		};
		return person.contracts.map((contract) => ({
			id: guid(`${person.employeeNumber}/${contract.sequence}`),
			employee,
			startDate: contract.start,
			endDate: contract.end,
			workingHours: { averageHoursPerWeek: contract.hoursPerWeek },
			department: { key: contract.department.length, code: contract.department.slice(0, 3).toUpperCase(), description: contract.department },
			function: { key: contract.title.length, description: contract.title },
		}));
	});
}

export async function startLoket(options: { port?: number; people?: HrPerson[] } = {}): Promise<LoketStandIn> {
	const oauth = new AuthorizationCodeFlow({ id: LOKET_DEFAULTS.clientId, secret: LOKET_DEFAULTS.clientSecret });
	let employments = loketEmployments(options.people ?? hrPeople());

	const server = await serve((req, url, body) => {
		const path = url.pathname.replace(/\/+$/, '');
		if (req.method === 'GET' && path === '/oauth/authorize') return oauth.authorize(url);
		if (req.method === 'POST' && path === '/oauth/token') return oauth.token(req, body);
		const match = /^\/v2\/providers\/employers\/([^/]+)\/employees\/employments\/comprehensive$/.exec(path);
		if (req.method !== 'GET' || !match) return reply(404, { message: `No endpoint ${req.method} ${path}.` });
		if (!oauth.accessTokens.valid(req.headers.authorization)) return reply(401, { message: 'Authorization has been denied for this request.' });
		if (match[1] !== LOKET_DEFAULTS.employerId) return reply(403, { message: `No access to employer ${match[1]}.` });
		const pageSize = Math.min(Math.max(Number(url.searchParams.get('pageSize') ?? 100) || 100, 1), 250);
		const currentPage = Math.max(Number(url.searchParams.get('pageNumber') ?? 1) || 1, 1);
		const page = employments.slice((currentPage - 1) * pageSize, currentPage * pageSize);
		return reply(200, { _embedded: page, currentPage, pageSize, totalSize: employments.length, totalPages: Math.ceil(employments.length / pageSize) });
	}, options.port);

	return {
		...server,
		oauth,
		authorizeUrl: `${server.url}/oauth/authorize`,
		tokenUrl: `${server.url}/oauth/token`,
		employmentsUrl: `${server.url}/v2/providers/employers/${LOKET_DEFAULTS.employerId}/employees/employments/comprehensive`,
		setPeople: (people) => {
			employments = loketEmployments(people);
		},
	};
}

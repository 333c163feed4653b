/**
 * Visma Raet Youforce IAM API stand-in, serving the sample organisation:
 *
 *   POST /authentication/token                     grant_type=client_credentials + client_id/client_secret
 *   GET  /iam/v1.0/persons | employments | organizationUnits     -> { value: [...], nextLink?: "<absolute URL>" }
 *
 * Every API call needs `Authorization: Bearer <token>` (401 otherwise) and the tenant in `X-Raet-Tenant-Id` (403 for
 * a missing or unknown tenant). Lists come in pages of `take` (default and maximum 100) with an absolute `nextLink`
 * while more follow. Fields are camelCase as the IAM API has them: persons (`personCode`, `knownAs`,
 * `lastNameAtBirth`, `lastNameAtBirthPrefix`, `partnerName`, `partnerNamePrefix`, `nameAssembleOrder`,
 * `emailAddresses`), employments (one per contract: `personCode`, `employmentCode`, `organizationUnit`,
 * `jobProfile`, `hireDate`, `dischargeDate`, `workingAmount`), organisation units (`id`, `fullName`, `manager` = the
 * manager's personCode, `parentOrgUnit`). The manager of a person is the manager of their unit, or of the parent
 * unit when they manage their own unit.
 */
import { HrPerson, hrPeople, NameUse } from './people';
import { clientCredentials, formFields, reply, Reply, serve, StandIn, TokenStore } from './http';

export interface YouforceOptions {
	port?: number;
	clientId?: string;
	clientSecret?: string;
	tenantId?: string;
	people?: HrPerson[];
}

export const YOUFORCE_DEFAULTS = { clientId: 'plek-sync', clientSecret: 'youforce-stand-in-secret', tenantId: '1234567' };

export interface YouforceStandIn extends StandIn {
	tokenUrl: string;
	tenantId: string;
	setPeople(people: HrPerson[]): void;
}

/** Youforce (HR Core Business) writes the name-use order as a digit. */
export const YOUFORCE_NAME_ORDER: Record<NameUse, string> = { B: '0', PB: '1', P: '2', BP: '3' };
const ROOT_UNIT = 'OU0000';
const PAGE = 100;

const unitId = (department: string) => `OU${department.replace(/[^A-Za-z]/g, '').slice(0, 6).toUpperCase()}`;

export function youforceLists(people: HrPerson[]): Record<string, Array<Record<string, unknown>>> {
	const persons = people.map((person) => ({
		id: `P-${person.personNumber}`,
		personCode: person.employeeNumber,
		knownAs: person.givenName,
		firstNames: person.givenName,
		initials: person.initials,
		lastNameAtBirth: person.familyName,
		lastNameAtBirthPrefix: person.particle || null,
		partnerName: person.partnerName || null,
		partnerNamePrefix: person.partnerParticle || null,
		nameAssembleOrder: YOUFORCE_NAME_ORDER[person.nameUse],
		emailAddresses: [{ type: 'Business', address: person.email }],
		validFrom: person.hireDate,
		validUntil: person.leaveDate,
	}));
	const employments = people.flatMap((person) =>
		person.contracts.map((contract) => ({
			id: `E-${person.employeeNumber}-${contract.sequence}`,
			personCode: person.employeeNumber,
			employmentCode: String(contract.sequence),
			organizationUnit: unitId(contract.department),
			jobProfile: { shortName: contract.title.replace(/\s+/g, '').slice(0, 8).toUpperCase(), fullName: contract.title },
			hireDate: contract.start,
			dischargeDate: contract.end,
			workingAmount: { amountOfWork: contract.hoursPerWeek, unitOfWork: 'Uren per week' },
			validFrom: contract.start,
			validUntil: contract.end,
		})),
	);
	const departments = [...new Set(people.map((person) => person.department))];
	const chief = people.find((person) => person.manager === null);
	const heads = new Map<string, string>();
	for (const person of people) {
		const manager = people.find((candidate) => candidate.employeeNumber === person.manager);
		if (manager && manager.department === person.department) heads.set(person.department, manager.employeeNumber);
	}
	const organizationUnits = [
		{ id: ROOT_UNIT, shortName: 'ORG', fullName: 'Zorggroep De Linde', manager: chief?.employeeNumber ?? null, parentOrgUnit: null },
		...departments.map((department) => ({
			id: unitId(department),
			shortName: unitId(department).slice(2),
			fullName: department,
			manager: heads.get(department) ?? chief?.employeeNumber ?? null,
			parentOrgUnit: ROOT_UNIT,
		})),
	];
	return { persons, employments, organizationUnits };
}

export async function startYouforce(options: YouforceOptions = {}): Promise<YouforceStandIn> {
	const settings = { ...YOUFORCE_DEFAULTS, ...options };
	let lists = youforceLists(options.people ?? hrPeople());
	const tokens = new TokenStore();
	let base = '';

	const list = (name: string, url: URL): Reply => {
		const all = Object.entries(lists).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
		if (!all) return reply(404, { code: 'NotFound', message: `Unknown resource '${name}'.` });
		const skip = Math.max(Number(url.searchParams.get('skip') ?? 0) || 0, 0);
		const take = Math.min(Math.max(Number(url.searchParams.get('take') ?? PAGE) || PAGE, 1), PAGE);
		const value = all.slice(skip, skip + take);
		const nextLink = skip + take < all.length ? `${base}/iam/v1.0/${name}?skip=${skip + take}&take=${take}` : undefined;
		return reply(200, nextLink ? { value, nextLink } : { value });
	};

	const server = await serve((req, url, body) => {
		const path = url.pathname.replace(/\/+$/, '');
		if (req.method === 'POST' && path === '/authentication/token') {
			const fields = formFields(req, body);
			if (fields.grant_type !== 'client_credentials') return reply(400, { error: 'unsupported_grant_type' });
			const client = clientCredentials(req, fields);
			if (client.id !== settings.clientId || client.secret !== settings.clientSecret) return reply(401, { error: 'invalid_client' });
			return reply(200, tokens.issue());
		}
		const match = /^\/iam\/v1\.0\/(\w+)$/.exec(path);
		if (req.method !== 'GET' || !match) return reply(404, { code: 'NotFound', message: `No endpoint ${req.method} ${path}.` });
		if (!tokens.valid(req.headers.authorization)) return reply(401, { code: 'Unauthorized', message: 'Access token is missing, invalid or expired.' });
		if (req.headers['x-raet-tenant-id'] !== settings.tenantId) {
			return reply(403, { code: 'Forbidden', message: 'The X-Raet-Tenant-Id header is missing or names a tenant this client has no access to.' });
		}
		return list(match[1], url);
	}, options.port);
	base = server.url;

	return {
		...server,
		tokenUrl: `${server.url}/authentication/token`,
		tenantId: settings.tenantId,
		setPeople: (people) => {
			lists = youforceLists(people);
		},
	};
}

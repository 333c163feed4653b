/**
 * AFAS Profit REST (GetConnector) stand-in, serving the sample organisation as AFAS does:
 *
 *   POST /ProfitRestServices/oauth/token          grant_type=client_credentials + client_id/client_secret (body or Basic)
 *   GET  /ProfitRestServices/connectors/{id}?skip=&take=&orderbyfieldids=   -> { skip, take, rows: [...] }
 *
 * Authentication: `Authorization: AfasToken <base64 of the whole <token><version>1</version><data>..</data></token>>`
 * (the classic token) or `Authorization: Bearer <access token>` from the token endpoint. Otherwise 401.
 *
 * Like Profit: one row per contract (a person with two contracts has two rows); `take` defaults to 100; without
 * `orderbyfieldids` the order of the rows changes between requests (AFAS does not guarantee it), so paging without
 * it misses and repeats rows; dates are local Amsterdam dates written with a `Z` (`2022-01-20T00:00:00Z`); empty
 * fields are `null`. Two connectors hold the same rows: `Profit_Employees` with AFAS's English field ids and
 * `Plek_Medewerkers`, a customer connector with Dutch labels.
 */
import { AFAS_NAME_USE, Contract, HrPerson, hrPeople } from './people';
import { clientCredentials, formFields, reply, Reply, serve, StandIn, TokenStore } from './http';

export const AFAS_STANDARD_CONNECTOR = 'Profit_Employees';
export const AFAS_CUSTOM_CONNECTOR = 'Plek_Medewerkers';

export interface AfasOptions {
	port?: number;
	/** The classic token as Profit shows it (`<token><version>1</version><data>...</data></token>`). */
	classicToken?: string;
	clientId?: string;
	clientSecret?: string;
	people?: HrPerson[];
}

export const AFAS_DEFAULTS = {
	classicToken: '<token><version>1</version><data>6F1C0B8E2D4A4E5F9A7B3C2D1E0F4A5B6C7D8E9F0A1B2C3D4E5F6A7B8C9D0E1F</data></token>',
	clientId: 'plek-sync',
	clientSecret: 'afas-stand-in-secret',
};

export interface AfasStandIn extends StandIn {
	/** The `Authorization` header value for the classic token. */
	classicAuthorization: string;
	baseUrl: string;
	tokenUrl: string;
	connectorUrl(id: string): string;
	setPeople(people: HrPerson[]): void;
	/** Replaces the classic token (as when an AFAS administrator deletes it or it expires): the old one gets 401. */
	replaceClassicToken(token: string): void;
}

const afasDate = (isoDate: string | null) => (isoDate ? `${isoDate}T00:00:00Z` : null);
const orNull = (text: string) => (text === '' ? null : text);

function managerPersonNumber(person: HrPerson, byEmployee: Map<string, HrPerson>): string | null {
	return person.manager ? (byEmployee.get(person.manager)?.personNumber ?? null) : null;
}

/** A row of the customer connector (Dutch labels). */
function customRow(person: HrPerson, contract: Contract, manager: string | null): Record<string, unknown> {
	return {
		Medewerker: person.employeeNumber,
		Persoonsnummer: person.personNumber,
		Roepnaam: person.givenName,
		Voorletters: person.initials,
		Voorvoegsel: orNull(person.particle),
		Geboortenaam: person.familyName,
		Voorvoegsel_partner: orNull(person.partnerParticle),
		Geboortenaam_partner: orNull(person.partnerName),
		Naamgebruik_code: AFAS_NAME_USE[person.nameUse],
		Email_werk: person.email,
		Datum_in_dienst: afasDate(person.hireDate),
		Datum_uit_dienst: afasDate(person.leaveDate),
		Volgnummer_contract: contract.sequence,
		Begindatum_contract: afasDate(contract.start),
		Einddatum_contract: afasDate(contract.end),
		Uren_per_week: contract.hoursPerWeek,
		Organisatorische_eenheid_omschrijving: contract.department,
		Functie_omschrijving: contract.title,
		Persoonsnummer_leidinggevende: manager,
	};
}

/** The same row with AFAS's English field ids (standard connector). */
function standardRow(person: HrPerson, contract: Contract, manager: string | null): Record<string, unknown> {
	return {
		EmployeeId: person.employeeNumber,
		PersonId: person.personNumber,
		FirstName: person.givenName,
		Initials: person.initials,
		PrefixBirthName: orNull(person.particle),
		BirthName: person.familyName,
		PrefixPartnerName: orNull(person.partnerParticle),
		PartnerName: orNull(person.partnerName),
		NameUse: AFAS_NAME_USE[person.nameUse],
		EmailWork: person.email,
		EmploymentStartDate: afasDate(person.hireDate),
		EmploymentEndDate: afasDate(person.leaveDate),
		ContractSequenceNumber: contract.sequence,
		ContractStartDate: afasDate(contract.start),
		ContractEndDate: afasDate(contract.end),
		HoursPerWeek: contract.hoursPerWeek,
		OrganizationalUnitDescription: contract.department,
		JobFunctionDescription: contract.title,
		ManagerPersonId: manager,
	};
}

export function afasRows(people: HrPerson[], connector: string): Array<Record<string, unknown>> {
	const byEmployee = new Map(people.map((person) => [person.employeeNumber, person]));
	const toRow = connector === AFAS_STANDARD_CONNECTOR ? standardRow : customRow;
	return people.flatMap((person) => person.contracts.map((contract) => toRow(person, contract, managerPersonNumber(person, byEmployee))));
}

function compareBy(fields: string[]): (a: Record<string, unknown>, b: Record<string, unknown>) => number {
	return (a, b) => {
		for (const spec of fields) {
			const field = spec.replace(/^-/, '');
			const sign = spec.startsWith('-') ? -1 : 1;
			const left = String(a[field] ?? '');
			const right = String(b[field] ?? '');
			if (left !== right) return (left < right ? -1 : 1) * sign;
		}
		return 0;
	};
}

const afasError = (status: number, message: string): Reply => reply(status, { externalMessage: message, profitLogReference: `stand-in-${status}` });

export async function startAfas(options: AfasOptions = {}): Promise<AfasStandIn> {
	const settings = { ...AFAS_DEFAULTS, ...options };
	let people = options.people ?? hrPeople();
	const tokens = new TokenStore();
	const authorizationFor = (token: string) => `AfasToken ${Buffer.from(token, 'utf8').toString('base64')}`;
	const classicAuthorization = authorizationFor(settings.classicToken);
	let acceptedClassic = classicAuthorization;
	let listings = 0;

	const authorised = (header: string | undefined) => header === acceptedClassic || tokens.valid(header);

	const connector = (id: string, url: URL): Reply => {
		if (id !== AFAS_STANDARD_CONNECTOR && id !== AFAS_CUSTOM_CONNECTOR) {
			return afasError(404, `GetConnector '${id}' bestaat niet of is niet aan deze app connector gekoppeld.`);
		}
		const rows = afasRows(people, id);
		const skip = Number(url.searchParams.get('skip') ?? 0);
		const take = Number(url.searchParams.get('take') ?? 100);
		if (!Number.isInteger(skip) || !Number.isInteger(take)) return afasError(400, 'skip en take moeten gehele getallen zijn.');
		const order = (url.searchParams.get('orderbyfieldids') ?? '').split(',').map((field) => field.trim()).filter(Boolean);
		const unknown = order.find((field) => !(field.replace(/^-/, '') in (rows[0] ?? {})));
		if (unknown) return afasError(400, `Veld '${unknown}' in orderbyfieldids komt niet voor in GetConnector '${id}'.`);
		if (order.length > 0) rows.sort(compareBy(order));
		else {
			// No guaranteed order without orderbyfieldids: the database's choice differs per request.
			const shift = (++listings * 37) % Math.max(rows.length, 1);
			rows.push(...rows.splice(0, shift));
		}
		const page = skip === -1 && take === -1 ? rows : rows.slice(skip, skip + take);
		return reply(200, { skip, take, rows: page });
	};

	const server = await serve((req, url, body) => {
		const path = url.pathname.replace(/\/+$/, '');
		if (req.method === 'POST' && /^\/ProfitRestServices\/oauth\/token$/i.test(path)) {
			const fields = formFields(req, body);
			if (fields.grant_type !== 'client_credentials') return reply(400, { error: 'unsupported_grant_type' });
			const client = clientCredentials(req, fields);
			if (client.id !== settings.clientId || client.secret !== settings.clientSecret) return reply(401, { error: 'invalid_client' });
			return reply(200, tokens.issue());
		}
		const match = /^\/ProfitRestServices\/connectors\/([^/]+)$/i.exec(path);
		if (req.method !== 'GET' || !match) return afasError(404, `Onbekend endpoint ${req.method} ${path}.`);
		if (!authorised(req.headers.authorization)) return afasError(401, 'De token is ongeldig of verlopen. Vraag een nieuwe token aan.');
		return connector(decodeURIComponent(match[1]), url);
	}, options.port);

	const baseUrl = `${server.url}/ProfitRestServices`;
	return {
		...server,
		classicAuthorization,
		baseUrl,
		tokenUrl: `${baseUrl}/oauth/token`,
		connectorUrl: (id) => `${baseUrl}/connectors/${id}`,
		setPeople: (list) => {
			people = list;
		},
		replaceClassicToken: (token) => {
			acceptedClassic = authorizationFor(token);
		},
	};
}

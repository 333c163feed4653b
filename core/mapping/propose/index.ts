// A complete mapping PROPOSED from the data: from the input items (Dutch or English headers, with or without
// spaces, underscores or a BOM; values that are e-mail addresses, unique numbers, dates, yes/no, AD attributes) the
// Mapper's Fields-mode parameters, each with the column(s) it reads, why, and a confidence. What the engineer
// accepts is ordinary Mapper fields: nothing of this runs at mapping time. Free of n8n.
import { removeLeadingBom } from '../diagnose';
import { ENTERPRISE_USER_SCHEMA } from '../../scimPath';
import { type ColumnProfile, profileColumns } from './profile';
import { DUTCH_WORDS, type Role, ROLE_NAMES } from './names';

export type Confidence = 'high' | 'medium' | 'low';

export interface ProposedField {
	/** The Mapper parameter, as the editor labels it: `Mapping Key`, `Profile Fields › title`, `Group Rules`. */
	field: string;
	/** JSONata, exactly what goes into the parameter. */
	expression: string;
	/** The input columns it reads. */
	columns: string[];
	why: string;
	confidence: Confidence;
}

export interface ProposedParameters {
	mode: 'fields';
	mappingKey: string;
	userName: string;
	active: string;
	startDate: string;
	manager: string;
	profileFields: { field: Array<{ path: string; expression: string; apply: 'always' }> };
	groupRules: { rule: Array<{ groupFrom: 'field'; groupName: string; condition: string }> };
	options: Record<string, never>;
}

export interface MappingProposal {
	/** One entry per proposed parameter, in the editor's order. */
	fields: ProposedField[];
	/** The Plek Mapper's parameters (Fields mode) with every proposed field. */
	parameters: ProposedParameters;
	/** What to check before the first dry run (no e-mail column, a manager by DN...). */
	notes: string[];
	/** Columns the proposal does not use. */
	unused: string[];
	/** What the headers look like: a Dutch HR export, an English one, or Active Directory. */
	source: 'dutch' | 'english' | 'activeDirectory';
}

const ENTERPRISE = ENTERPRISE_USER_SCHEMA;
const JSONATA_WORDS = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

/** A column as JSONata reads it: the bare name, or in backticks when it has spaces, signs or is a JSONata word. */
export function columnRef(name: string): string {
	return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !JSONATA_WORDS.has(name) ? name : `\`${name.replace(/`/g, '')}\``;
}

/** The columns that hold a role, best name first. */
class Columns {
	private readonly used = new Set<string>();
	constructor(readonly profiles: ColumnProfile[]) {}

	/** The filled column (or any, with `allowEmpty`) whose name says it holds `role` (the earliest name of the role's list wins). */
	byName(role: Role, allowEmpty = false): ColumnProfile | undefined {
		let best: ColumnProfile | undefined;
		let bestRank = Infinity;
		for (const profile of this.profiles) {
			const rank = ROLE_NAMES[role].indexOf(profile.key);
			if (rank >= 0 && rank < bestRank && (profile.count > 0 || allowEmpty)) {
				best = profile;
				bestRank = rank;
			}
		}
		return best;
	}

	use(profile: ColumnProfile | undefined): ColumnProfile | undefined {
		if (profile) this.used.add(profile.name);
		return profile;
	}

	unused(): string[] {
		return this.profiles.filter((p) => !this.used.has(p.name)).map((p) => p.name);
	}
}

const level = (score: number): Confidence => (score >= 0.85 ? 'high' : score >= 0.6 ? 'medium' : 'low');

interface Context {
	columns: Columns;
	fields: ProposedField[];
	notes: string[];
	parameters: ProposedParameters;
	source: MappingProposal['source'];
}

function add(context: Context, field: string, expression: string, columns: ColumnProfile[], why: string, score: number): void {
	context.fields.push({ field, expression, columns: columns.map((c) => c.name), why, confidence: level(score) });
	for (const column of columns) context.columns.use(column);
}

function addProfile(context: Context, path: string, expression: string, columns: ColumnProfile[], why: string, score: number): void {
	context.parameters.profileFields.field.push({ path, expression, apply: 'always' });
	add(context, `Profile Fields › ${path}`, expression, columns, why, score);
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

function sourceKind(profiles: ColumnProfile[]): MappingProposal['source'] {
	const keys = new Set(profiles.map((p) => p.key));
	if (keys.has('objectguid') || keys.has('useraccountcontrol') || keys.has('samaccountname')) return 'activeDirectory';
	return profiles.some((p) => DUTCH_WORDS.some((word) => p.key.includes(word))) ? 'dutch' : 'english';
}

/** Proposes a Fields-mode mapping for these items. Reads at most 5,000 of them. */
export function proposeMapping(items: readonly unknown[]): MappingProposal {
	const profiles = profileColumns(removeLeadingBom(items).items);
	const context: Context = {
		columns: new Columns(profiles),
		fields: [],
		notes: [],
		source: sourceKind(profiles),
		parameters: { mode: 'fields', mappingKey: '', userName: '', active: 'true', startDate: '', manager: '', profileFields: { field: [] }, groupRules: { rule: [] }, options: {} },
	};
	if (profiles.length === 0) {
		context.notes.push('The input has no columns: run the source node first, so the Mapper sees the records.');
		return { fields: [], parameters: context.parameters, notes: context.notes, unused: [], source: context.source };
	}
	const key = proposeKey(context);
	const email = proposeUserName(context);
	proposeActive(context);
	proposeNames(context);
	if (email) addProfile(context, 'emails[type eq "work"].value', `$normalizeEmail(${columnRef(email.name)})`, [email], `the work e-mail address, as the user name`, email.email);
	proposeJob(context, key);
	proposeManager(context, key);
	proposeStartDate(context);
	proposePhones(context);
	return { fields: context.fields, parameters: context.parameters, notes: context.notes, unused: context.columns.unused(), source: context.source };
}

/** The key: a unique, stable identifier. AD's objectGUID, else an employee number (or the person number managers point at). */
function proposeKey(context: Context): ColumnProfile | undefined {
	const { columns } = context;
	const guid = columns.byName('guid') ?? columns.profiles.find((p) => p.guid >= 0.95 && p.unique);
	if (guid && context.source === 'activeDirectory') {
		context.parameters.mappingKey = `$adGuid(${columnRef(guid.name)})`;
		add(context, 'Mapping Key', context.parameters.mappingKey, [columns.use(guid)!], `${guid.name} is Active Directory's objectGUID: it never changes, also when a person is renamed or moves`, guid.unique ? 0.97 : 0.7);
		return guid;
	}
	const candidates = (['employeeNumber', 'personNumber', 'genericId'] as const).map((role) => columns.byName(role)).filter((c): c is ColumnProfile => c !== undefined);
	const manager = columns.byName('manager');
	// AFAS and others name the manager by person number: the key is then the column the manager values are found in.
	const pointedAt = manager ? candidates.find((c) => c.unique && overlap(manager, c) >= 0.8) : undefined;
	const named = pointedAt ?? candidates.find((c) => c.unique && c.filled >= 0.99) ?? candidates[0];
	const column = named ?? columns.profiles.find((p) => p.unique && p.filled >= 0.99 && p.integer >= 0.9) ?? columns.profiles.find((p) => p.unique && p.filled >= 0.99);
	if (!column) {
		context.notes.push('No column identifies every person uniquely: choose the Mapping Key yourself (an employee number or another value that never changes).');
		return undefined;
	}
	const facts = [column.unique ? 'unique for every record' : 'NOT unique (records that share a key are all invalid)', `filled in ${percent(column.filled)}`];
	if (pointedAt) facts.push(`the manager column ${manager!.name} holds these values`);
	const score = (named ? 0.6 : 0.4) + (column.unique ? 0.25 : 0) + (column.filled >= 0.99 ? 0.1 : 0) + (pointedAt ? 0.05 : 0);
	context.parameters.mappingKey = columnRef(column.name);
	add(context, 'Mapping Key', context.parameters.mappingKey, [columns.use(column)!], `${column.name}: ${named ? 'named as an identifier' : 'the first column that looks like one'}, ${facts.join(', ')}; it becomes the externalId in Plek and must never change`, score);
	if (!column.unique) context.notes.push(`The key column ${column.name} has repeated values (several contracts per person?): keep one row per person before the Mapper.`);
	return column;
}

/** Share of one column's values found among another's. */
function overlap(from: ColumnProfile, into: ColumnProfile): number {
	if (from.count === 0) return 0;
	const target = new Set(into.values);
	return from.values.filter((v) => target.has(v)).length / from.count;
}

/** The user name: the work e-mail address (AD: mail, else userPrincipalName). */
function proposeUserName(context: Context): ColumnProfile | undefined {
	const { columns } = context;
	const named = columns.byName('email');
	const column = named && named.email >= 0.8 ? named : columns.profiles.find((p) => p.email >= 0.9) ?? columns.byName('upn');
	if (!column) {
		context.notes.push('No column holds e-mail addresses: set User Name to the Plek login yourself.');
		return undefined;
	}
	context.parameters.userName = `$normalizeEmail(${columnRef(column.name)})`;
	const why = `${column.name}: ${percent(column.email)} of its values are e-mail addresses${column.unique ? ', all different' : ''}; lower-cased and checked`;
	add(context, 'User Name', context.parameters.userName, [columns.use(column)!], why, (named === column ? 0.5 : 0.35) + column.email * 0.4 + (column.unique ? 0.1 : 0));
	if (column.filled < 1) context.notes.push(`${column.name} is empty for ${percent(1 - column.filled)} of the records: they are invalid without a user name.`);
	return column;
}

/** An expression that is true while the date has not passed (the leave day itself still counts as employed). */
function notPassed(column: ColumnProfile): string {
	const ref = columnRef(column.name);
	const format = column.dateFormat;
	if (format === undefined || format === 'iso' || format === 'dd-mm-yyyy' || format === 'iso-datetime' || format === 'generalized') return `$not($leaveDatePassed(${ref}))`;
	return `$not($daysUntil($startDate(${ref}, "${format}")) < 0)`;
}

/** Active: AD's userAccountControl, a leave date, an active flag, or both. */
function proposeActive(context: Context): void {
	const { columns } = context;
	const uac = columns.byName('userAccountControl');
	if (uac) {
		const expires = columns.use(columns.byName('accountExpires'));
		context.parameters.active = expires ? `$adActive(${uac.name}, ${expires.name})` : `$not($adDisabled(${uac.name}))`;
		add(context, 'Active', context.parameters.active, [columns.use(uac)!, ...(expires ? [expires] : [])], 'Active Directory: the account is not disabled' + (expires ? ' and has not expired' : ''), 0.95);
		return;
	}
	// A leave-date column that is empty today still says who leaves tomorrow.
	const end = columns.byName('endDate', true);
	const flag = columns.byName('activeFlag');
	const parts: string[] = [];
	const why: string[] = [];
	const used: ColumnProfile[] = [];
	if (flag) {
		const flagRule = activeFlagRule(flag);
		if (flagRule) {
			parts.push(flagRule);
			why.push(`${flag.name} says whether the person is active`);
			used.push(flag);
		}
	}
	if (end) {
		parts.push(notPassed(end));
		why.push(`${end.name} is a leave date${end.dateFormat ? ` (${end.dateFormat})` : ''}${end.count === 0 ? ' (empty in this export: nobody has left yet)' : ''}: active until the day after it`);
		used.push(end);
	}
	if (parts.length === 0) {
		context.notes.push('No leave date or active flag found: everyone is active. Leavers are then never deactivated unless the Sync deactivates people missing from the source.');
		add(context, 'Active', 'true', [], 'no leave date or active flag in the input', 0.3);
		return;
	}
	context.parameters.active = parts.join(' and ');
	const endUnread = end !== undefined && end.dateFormat === undefined;
	add(context, 'Active', context.parameters.active, used, why.join('; '), endUnread ? (end.count > 0 ? 0.5 : 0.7) : 0.9);
}

/** `$toBool(flag)` when every value reads as yes/no, else `flag = "Active"` for a status column. */
function activeFlagRule(flag: ColumnProfile): string | undefined {
	const ref = columnRef(flag.name);
	if (flag.boolean >= 0.99) return `$toBool(${ref})`;
	const active = [...new Set(flag.values)].find((v) => /^(active|actief|in dienst|employed)$/i.test(v));
	return active === undefined ? undefined : `${ref} = "${active}"`;
}

/** Names: composed the Dutch way when the export keeps them in parts, else the columns as they are. */
function proposeNames(context: Context): void {
	const { columns } = context;
	const first = columns.byName('firstName');
	const initials = columns.byName('initials');
	const last = columns.byName('lastName');
	const prefix = columns.byName('prefix');
	const partnerLast = columns.byName('partnerLastName');
	const dutchParts = prefix !== undefined || partnerLast !== undefined || columns.byName('nameUse') !== undefined;
	if (last && (dutchParts || context.source === 'dutch')) {
		proposeDutchNames(context, first, initials, last, prefix, partnerLast);
		return;
	}
	const cased = (column: ColumnProfile) => (column.badlyCased ? `$nameCase(${columnRef(column.name)})` : columnRef(column.name));
	const casing = (column: ColumnProfile) => (column.badlyCased ? ', with $nameCase because its values are all capitals or all lower case' : ', as written');
	if (first) addProfile(context, 'name.givenName', cased(columns.use(first)!), [first], `${first.name} is the first name${casing(first)}`, 0.9);
	if (last) addProfile(context, 'name.familyName', cased(columns.use(last)!), [last], `${last.name} is the family name${casing(last)}`, 0.9);
	const display = columns.byName('displayName');
	if (display && display.filled >= 0.9) {
		addProfile(context, 'displayName', columnRef(display.name), [columns.use(display)!], `${display.name} is the name as shown`, 0.85);
	} else if (first && last) {
		addProfile(context, 'displayName', `$joinNonEmpty([${cased(first)}, ${cased(last)}])`, [first, last], 'first and family name', 0.8);
	}
}

function proposeDutchNames(context: Context, first: ColumnProfile | undefined, initials: ColumnProfile | undefined, last: ColumnProfile, prefix?: ColumnProfile, partnerLast?: ColumnProfile): void {
	const { columns } = context;
	const partnerPrefix = partnerLast ? columns.byName('partnerPrefix') : undefined;
	const nameUse = partnerLast ? columns.byName('nameUse') : undefined;
	const ref = (column: ColumnProfile | undefined) => (column ? columnRef(column.name) : '""');
	const given = first && initials ? `(${ref(first)} ? ${ref(first)} : ${ref(initials)})` : ref(first ?? initials);
	const args = [given, ref(prefix), ref(last)];
	if (partnerLast) args.push(ref(partnerPrefix), ref(partnerLast), ref(nameUse));
	const call = `$dutchName(${args.join(', ')})`;
	const used = [first, initials, prefix, last, partnerPrefix, partnerLast, nameUse].filter((c): c is ColumnProfile => c !== undefined);
	for (const column of used) columns.use(column);
	const parts = `${used.map((c) => c.name).join(', ')}`;
	const partner = partnerLast ? `; the partner's name and ${nameUse ? `the naamgebruik code (${nameUse.name}: B, P, BP, PB)` : 'no naamgebruik code (own name used)'}` : '';
	if (first || initials) addProfile(context, 'name.givenName', `${call}.givenName`, used, `${(first ?? initials)!.name} is the ${first ? 'first name' : 'initials'}${first && initials ? `, ${initials.name} when it is empty` : ''}`, 0.9);
	addProfile(context, 'name.familyName', `${call}.familyName`, used, `the Dutch family name from ${parts}: particles lower case after the given name${partner}`, partnerLast && !nameUse ? 0.7 : 0.9);
	addProfile(context, 'displayName', `${call}.displayName`, used, 'given name and family name, composed the Dutch way', 0.85);
	if (partnerLast && !nameUse) context.notes.push(`${partnerLast.name} holds a partner's name but no naamgebruik column was found: everyone keeps their own name.`);
}

/** Title, department (with a group per department) and employee number. */
function proposeJob(context: Context, key: ColumnProfile | undefined): void {
	const { columns } = context;
	const title = columns.byName('title');
	if (title) addProfile(context, 'title', columnRef(columns.use(title)!.name), [title], `${title.name} is the job title`, 0.9);
	const department = columns.byName('department');
	if (department) {
		const ref = columnRef(columns.use(department)!.name);
		addProfile(context, `${ENTERPRISE}:department`, ref, [department], `${department.name} is the department`, 0.9);
		const label = context.source === 'dutch' ? 'Afdeling' : 'Department';
		const groupName = `"${label} " & ${ref}`;
		context.parameters.groupRules.rule.push({ groupFrom: 'field', groupName, condition: '' });
		add(context, 'Group Rules', groupName, [department], `one group per department, named "${label} <department>": the prefix keeps a department value from ever naming a hand-made group such as Administrators`, 0.8);
	}
	const number = columns.byName('employeeNumber');
	if (number) addProfile(context, `${ENTERPRISE}:employeeNumber`, columnRef(columns.use(number)!.name), [number], `${number.name} is the employee number${number === key ? ' (also the key)' : ''}`, 0.85);
}

/** The manager: their mapping key. Proposed only when the manager values are found among the keys. */
function proposeManager(context: Context, key: ColumnProfile | undefined): void {
	const { columns } = context;
	const manager = columns.byName('manager');
	if (!manager) return;
	columns.use(manager);
	if (manager.dn >= 0.5) {
		context.notes.push(`${manager.name} holds the manager's DN, not their key: look the DN up among the items in a Code node first (README, Managers), then map Manager to that value.`);
		return;
	}
	const found = key ? overlap(manager, key) : 0;
	if (!key || found < 0.5) {
		const holder = columns.profiles.find((p) => p !== manager && p.unique && overlap(manager, p) >= 0.8);
		context.notes.push(`${manager.name} does not hold the mapping key${holder ? ` but ${holder.name}: map that column's value to the key (or make ${holder.name} the key)` : ''}; Manager is left empty.`);
		return;
	}
	context.parameters.manager = columnRef(manager.name);
	add(context, 'Manager', context.parameters.manager, [manager], `${manager.name}: ${percent(found)} of its values are mapping keys (${key.name}) of people in this input`, found >= 0.8 ? 0.9 : 0.6);
}

function proposeStartDate(context: Context): void {
	const { columns } = context;
	const start = columns.byName('startDate');
	if (!start) return;
	const ref = columnRef(columns.use(start)!.name);
	const format = start.dateFormat;
	const explicit = format === 'mm/dd/yyyy' || format === 'excel' ? `, "${format}"` : '';
	context.parameters.startDate = `$startDate(${ref}${explicit})`;
	const why = `${start.name} is the first working day${format ? `, written ${format}` : ''}: people are created on that day (pre-hires wait)`;
	add(context, 'Start Date', context.parameters.startDate, [start], why, format ? 0.9 : 0.5);
	if (!format && start.count > 0) context.notes.push(`${start.name}'s values are not all dates in one format: check Start Date on a few records.`);
}

function proposePhones(context: Context): void {
	const { columns } = context;
	for (const [role, path] of [['workPhone', 'phoneNumbers[type eq "work"].value'], ['mobilePhone', 'phoneNumbers[type eq "mobile"].value']] as const) {
		const phone = columns.byName(role);
		if (phone) addProfile(context, path, columnRef(columns.use(phone)!.name), [phone], `${phone.name} is a ${role === 'workPhone' ? 'work' : 'mobile'} phone number`, 0.75);
	}
}

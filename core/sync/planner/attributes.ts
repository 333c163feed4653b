// Attribute changes of one matched user: which profile values differ from Plek's (createOnly skipped; an empty
// source value clears Plek's only with clearEmptyValues), and a userName change unless another account holds it.
import type { ParsedUserRecord } from '../../record';
import { isEmptyValue, readScimPath, valuesEqual, type AttributeWrite } from '../../scimPath';
import type { ScimUser } from '../../types';
import type { AttributeChange } from '../types';
import { conflict, type Decision, type PlanContext } from './decision';
import { isManaged, show } from './text';

export interface AttributeDiff {
	changes: AttributeChange[];
	/** Parsed paths kept from planning to the PATCH (no second parse). */
	writes: AttributeWrite[];
}

const NO_CHANGES: AttributeDiff = Object.freeze({ changes: [], writes: [] }) as AttributeDiff;

/** A userName change, or a conflict when another Plek account already holds the new name. */
function diffUserName(rec: ParsedUserRecord, user: ScimUser, ctx: PlanContext, d: Decision): AttributeDiff | undefined {
	if (rec.userName === undefined || valuesEqual(user.userName, rec.userName, 'userName')) return undefined;
	const holder = ctx.dir.userByName(rec.userName);
	if (holder && holder !== user) {
		const holderKey = isManaged(holder) ? `key ${show(holder.externalId)}` : 'an unmanaged account';
		conflict(
			d,
			'userNameTaken',
			'update',
			`userName ${show(rec.userName)} already used by ${holderKey} (Plek user id ${holder.id}); the userName of this user was not changed.`,
			'Resolve the duplicate userName in the source, or free it in Plek first.',
			user.id,
		);
		return undefined;
	}
	d.trace?.push(`Attribute userName differs: ${show(user.userName)} -> ${show(rec.userName)}.`);
	return {
		changes: [{ path: 'userName', before: user.userName, after: rec.userName }],
		writes: [{ path: 'userName', value: rec.userName }],
	};
}

export function diffAttributes(rec: ParsedUserRecord, user: ScimUser, ctx: PlanContext, d: Decision, adopting: boolean): AttributeDiff {
	if (!ctx.options.update) {
		d.trace?.push('Attributes: updates switched off (option "update"); not compared.');
		return NO_CHANGES;
	}
	// Allocated on the first difference only: most users are unchanged.
	let diff = diffUserName(rec, user, ctx, d);
	let equal = 0;
	for (const entry of rec.paths) {
		if (rec.createOnly.length > 0 && rec.createOnly.includes(entry.pathKey)) {
			d.trace?.push(`Attribute ${entry.path}: create-only, skipped (${adopting ? 'adopted' : 'existing'} user).`);
			continue;
		}
		const value = rec.profile[entry.path];
		const before = readScimPath(user, entry.parsed);
		if (isEmptyValue(value)) {
			if (isEmptyValue(before)) equal++;
			else if (ctx.options.clearEmptyValues) {
				d.trace?.push(`Attribute ${entry.path}: empty in source, Plek has ${show(before)} -> remove (clearEmptyValues).`);
				diff ??= { changes: [], writes: [] };
				diff.changes.push({ path: entry.path, before, after: null });
				diff.writes.push({ path: entry.formatted, parsed: entry.parsed, value: null });
			} else {
				d.trace?.push(`Attribute ${entry.path}: empty in source, Plek has ${show(before)}; kept (clearEmptyValues is off).`);
			}
			continue;
		}
		if (valuesEqual(before, value, entry.parsed)) {
			equal++;
			continue;
		}
		d.trace?.push(`Attribute ${entry.path} differs: ${show(before)} -> ${show(value)}.`);
		diff ??= { changes: [], writes: [] };
		diff.changes.push({ path: entry.path, before, after: value });
		diff.writes.push({ path: entry.formatted, parsed: entry.parsed, value });
	}
	const result = diff ?? NO_CHANGES;
	d.trace?.push(`Attributes: ${result.changes.length} differ, ${equal} equal.`);
	return result;
}

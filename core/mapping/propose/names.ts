// Column names that say what a column holds, in Dutch (AFAS, Youforce, Nmbrs, Loket exports and customer
// connectors), English (standard connectors, BambooHR, Personio...) and Active Directory / LDAP attributes.
// Compared after matchKey (lower case, letters and digits only): `E-mail werk`, `Email_werk`, `EmailWork` -> one key.
// Earlier names win.

export type Role =
	| 'guid'
	| 'employeeNumber'
	| 'personNumber'
	| 'genericId'
	| 'email'
	| 'upn'
	| 'firstName'
	| 'initials'
	| 'prefix'
	| 'lastName'
	| 'partnerPrefix'
	| 'partnerLastName'
	| 'nameUse'
	| 'displayName'
	| 'title'
	| 'department'
	| 'manager'
	| 'startDate'
	| 'endDate'
	| 'activeFlag'
	| 'userAccountControl'
	| 'accountExpires'
	| 'workPhone'
	| 'mobilePhone';

export const ROLE_NAMES: Readonly<Record<Role, readonly string[]>> = {
	guid: ['objectguid', 'guid', 'uuid', 'entraobjectid', 'azureobjectid', 'objectid'],
	employeeNumber: [
		'medewerker', 'medewerkernummer', 'personeelsnummer', 'werknemernummer', 'werknemer', 'medewerkercode', 'employeeid',
		'employeenumber', 'employeeno', 'employeecode', 'empid', 'staffid', 'staffnumber', 'personnelnumber', 'personcode',
		'employee', 'medewerkerid', 'nummer', 'personeelsnr', 'persnr',
	],
	personNumber: ['persoonsnummer', 'persoon', 'personid', 'personnumber', 'persoonid'],
	genericId: ['id', 'userid', 'key', 'externalid', 'uid', 'samaccountname'],
	email: [
		'emailwerk', 'emailwork', 'workemail', 'emailzakelijk', 'zakelijkemail', 'emailadreswerk', 'emailadreszakelijk',
		'businessemail', 'mail', 'email', 'emailadres', 'emailaddress', 'primaryemail',
	],
	upn: ['userprincipalname', 'upn'],
	firstName: ['roepnaam', 'knownas', 'preferredname', 'givenname', 'voornaam', 'firstname', 'voornamen', 'first'],
	initials: ['voorletters', 'initials', 'initialen'],
	prefix: ['voorvoegsel', 'tussenvoegsel', 'voorvoegsels', 'tussenvoegsels', 'prefix', 'lastnameprefix', 'lastnameatbirthprefix', 'prefixbirthname', 'voorvoegselgeboortenaam'],
	lastName: ['achternaam', 'geboortenaam', 'lastnameatbirth', 'lastname', 'familyname', 'surname', 'sn', 'naam', 'last', 'birthname'],
	partnerPrefix: [
		'voorvoegselpartner', 'tussenvoegselpartner', 'partnerprefix', 'partnernameprefix', 'voorvoegselgeboortenaampartner',
		'partnerlastnameprefix', 'prefixpartnername', 'prefixbirthnamepartner', 'lastnamepartnerprefix',
	],
	partnerLastName: [
		'naampartner', 'achternaampartner', 'geboortenaampartner', 'partnername', 'partnerlastname', 'partnernaam',
		'partnerbirthname', 'birthnamepartner', 'lastnamepartner',
	],
	nameUse: ['naamgebruik', 'naamgebruikcode', 'nameuse', 'nameusage', 'gebruiknaam', 'nameassembleorder'],
	displayName: ['displayname', 'weergavenaam', 'volledigenaam', 'fullname', 'cn', 'name'],
	title: [
		'functie', 'functieomschrijving', 'functienaam', 'title', 'jobtitle', 'jobtitledescription', 'functiondescription',
		'functionname', 'jobfunctiondescription', 'jobdescription', 'job', 'function', 'position', 'positie',
	],
	department: [
		'afdeling', 'afdelingomschrijving', 'afdelingsnaam', 'department', 'departmentname', 'departmentdescription', 'dept',
		'organisatorischeeenheidomschrijving', 'organizationalunitdescription', 'organisatorischeeenheid',
		'organisatieeenheid', 'orgunit', 'organizationalunit', 'team', 'division',
	],
	manager: [
		'leidinggevende', 'medewerkerleidinggevende', 'personeelsnummerleidinggevende', 'leidinggevendenummer', 'manager',
		'managerid', 'manageremployeeid', 'manageremployeenumber', 'supervisor', 'supervisorid', 'reportsto', 'reportstoid',
		'persoonsnummerleidinggevende', 'managerpersonid', 'emailleidinggevende',
	],
	startDate: [
		'datumindienst', 'indienst', 'datumindiensttreding', 'indiensttreding', 'startdatum', 'begindatum', 'startdate',
		'hiredate', 'employmentstartdate', 'datestarted', 'originalhiredate', 'begindatumdienstverband',
	],
	endDate: [
		'datumuitdienst', 'uitdienst', 'datumuitdiensttreding', 'uitdiensttreding', 'einddatum', 'ontslagdatum', 'enddate',
		'terminationdate', 'leavedate', 'employmentenddate', 'leavingdate', 'einddatumdienstverband',
	],
	activeFlag: ['actief', 'active', 'isactive', 'enabled', 'status', 'employmentstatus', 'indienstja', 'employeestatus'],
	userAccountControl: ['useraccountcontrol'],
	accountExpires: ['accountexpires'],
	workPhone: ['telefoonwerk', 'telefoonnummerwerk', 'worktelephone', 'workphone', 'telephonenumber', 'phonework', 'phone', 'telefoon'],
	mobilePhone: ['mobielwerk', 'mobielnummer', 'mobiel', 'mobile', 'mobilephone', 'mobilework', 'mobilenumber', 'gsm'],
};

/** Dutch header words: a file with these is a Dutch export (names composed with $dutchName, groups "Afdeling ..."). */
export const DUTCH_WORDS = ['medewerker', 'roepnaam', 'voornaam', 'achternaam', 'voorvoegsel', 'tussenvoegsel', 'afdeling', 'functie', 'leidinggevende', 'indienst', 'uitdienst', 'personeelsnummer', 'naamgebruik', 'voorletters', 'werk'];

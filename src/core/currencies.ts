/**
 * The currency tables a Wad takes its metadata from (PROTOCOL.md 6.3).
 *
 * The fiat table has the same 169 ISO 4217 codes as js-moneysocket's and
 * py-moneysocket's (identical to each other). `code`, `iso_num` and
 * `decimals` are ISO 4217's; `name` is the usual English name. Only the
 * entries that appear in the test vectors (CAD, JPY, USD, XAU) are
 * byte-exact with js-moneysocket's table, quirks included (JPY's symbol
 * really is "د.أ" there, XAU's countries really is ""). Elsewhere `symbol` is
 * the usual symbol and `countries` is informational: the main user(s), not
 * js's Wikipedia text. That only affects display: a js peer rebuilds table
 * wads with its own table (6.1), and py takes any countries text of up to
 * 200 characters.
 *
 * Kept from the reference table on purpose, so the send-side cleaning in
 * wad.ts has real cases: SOS's 6-character symbol and the XBB, XBC, XBD and
 * XSU names longer than 50 characters fail both validators.
 *
 * The table is one compact string (it counts toward the core's size budget),
 * parsed on first use: `CODE|iso_num|decimals|name|symbol|countries` per line,
 * an empty decimals field meaning null.
 */

export interface FiatCurrency {
  readonly code: string;
  readonly countries: string;
  readonly decimals: number | null;
  readonly iso_num: number;
  readonly name: string;
  readonly symbol: string;
}

export interface CryptoCurrency {
  readonly code: string;
  readonly name: string;
}

// js-moneysocket's exact text (517 characters, over py's 200 limit: see wad.ts).
const USD_COUNTRIES =
  'United States, American Samoa (AS), British Indian Ocean Territory (IO) (also uses GBP), ' +
  'British Virgin Islands (VG), Caribbean Netherlands (BQ – Bonaire, Sint Eustatius and Saba), ' +
  'Ecuador (EC), El Salvador (SV), Guam (GU), Haiti (HT), Marshall Islands (MH), Federated States of ' +
  'Micronesia (FM), Northern Mariana Islands (MP), Palau (PW), Panama (PA) (as well as Panamanian Balboa), ' +
  'Puerto Rico (PR), Timor-Leste (TL), Turks and Caicos Islands (TC), U.S. Virgin Islands (VI), ' +
  'United States Minor Outlying Islands (UM)';

const FIAT_DATA = `AED|784|2|United Arab Emirates dirham|د.إ|United Arab Emirates
AFN|971|2|Afghan afghani|؋|Afghanistan
ALL|8|2|Albanian lek|L|Albania
AMD|51|2|Armenian dram|֏|Armenia
ANG|532|2|Netherlands Antillean guilder|ƒ|Curaçao, Sint Maarten
AOA|973|2|Angolan kwanza|Kz|Angola
ARS|32|2|Argentine peso|$|Argentina
AUD|36|2|Australian dollar|$|Australia
AWG|533|2|Aruban florin|ƒ|Aruba
AZN|944|2|Azerbaijani manat|₼|Azerbaijan
BAM|977|2|Bosnia and Herzegovina convertible mark|KM|Bosnia and Herzegovina
BBD|52|2|Barbados dollar|Bds$|Barbados
BDT|50|2|Bangladeshi taka|৳|Bangladesh
BGN|975|2|Bulgarian lev|лв|Bulgaria
BHD|48|3|Bahraini dinar|.د.ب|Bahrain
BIF|108|0|Burundian franc|FBu|Burundi
BMD|60|2|Bermudian dollar|$|Bermuda
BND|96|2|Brunei dollar|B$|Brunei
BOB|68|2|Boliviano|Bs.|Bolivia
BRL|986|2|Brazilian real|R$|Brazil
BSD|44|2|Bahamian dollar|$|Bahamas
BTN|64|2|Bhutanese ngultrum|Nu.|Bhutan
BWP|72|2|Botswana pula|P|Botswana
BYN|933|2|Belarusian ruble|Br|Belarus
BZD|84|2|Belize dollar|BZ$|Belize
CAD|124|2|Canadian dollar|$|Canada
CDF|976|2|Congolese franc|FC|Democratic Republic of the Congo
CHF|756|2|Swiss franc|Fr.|Switzerland, Liechtenstein
CLF|990|4|Unidad de Fomento (funds code)|UF|Chile
CLP|152|0|Chilean peso|$|Chile
CNY|156|2|Chinese yuan|¥|China
COP|170|2|Colombian peso|$|Colombia
CRC|188|2|Costa Rican colón|₡|Costa Rica
CUP|192|2|Cuban peso|$|Cuba
CVE|132|2|Cape Verdean escudo|$|Cape Verde
CZK|203|2|Czech koruna|Kč|Czech Republic
DJF|262|0|Djiboutian franc|Fdj|Djibouti
DKK|208|2|Danish krone|kr.|Denmark
DOP|214|2|Dominican peso|RD$|Dominican Republic
DZD|12|2|Algerian dinar|دج|Algeria
EGP|818|2|Egyptian pound|E£|Egypt
ERN|232|2|Eritrean nakfa|Nfk|Eritrea
ETB|230|2|Ethiopian birr|Br|Ethiopia
EUR|978|2|Euro|€|Eurozone
FJD|242|2|Fiji dollar|FJ$|Fiji
FKP|238|2|Falkland Islands pound|£|Falkland Islands
GBP|826|2|Pound sterling|£|United Kingdom
GEL|981|2|Georgian lari|₾|Georgia
GHS|936|2|Ghanaian cedi|GH₵|Ghana
GIP|292|2|Gibraltar pound|£|Gibraltar
GMD|270|2|Gambian dalasi|D|Gambia
GNF|324|0|Guinean franc|FG|Guinea
GTQ|320|2|Guatemalan quetzal|Q|Guatemala
GYD|328|2|Guyanese dollar|G$|Guyana
HKD|344|2|Hong Kong dollar|HK$|Hong Kong
HNL|340|2|Honduran lempira|L|Honduras
HRK|191|2|Croatian kuna|kn|Croatia
HTG|332|2|Haitian gourde|G|Haiti
HUF|348|2|Hungarian forint|Ft|Hungary
IDR|360|2|Indonesian rupiah|Rp|Indonesia
ILS|376|2|Israeli new shekel|₪|Israel, Palestine
INR|356|2|Indian rupee|₹|India, Bhutan
IQD|368|3|Iraqi dinar|ع.د|Iraq
IRR|364|2|Iranian rial|﷼|Iran
ISK|352|0|Icelandic króna|kr|Iceland
JMD|388|2|Jamaican dollar|J$|Jamaica
JOD|400|3|Jordanian dinar|د.ا|Jordan
JPY|392|0|Japanese yen|د.أ|Japan
KES|404|2|Kenyan shilling|KSh|Kenya
KGS|417|2|Kyrgyzstani som|сом|Kyrgyzstan
KHR|116|2|Cambodian riel|៛|Cambodia
KMF|174|0|Comoro franc|CF|Comoros
KPW|408|2|North Korean won|₩|North Korea
KRW|410|0|South Korean won|₩|South Korea
KWD|414|3|Kuwaiti dinar|د.ك|Kuwait
KYD|136|2|Cayman Islands dollar|CI$|Cayman Islands
KZT|398|2|Kazakhstani tenge|₸|Kazakhstan
LAK|418|2|Lao kip|₭|Laos
LBP|422|2|Lebanese pound|ل.ل.|Lebanon
LKR|144|2|Sri Lankan rupee|Rs|Sri Lanka
LRD|430|2|Liberian dollar|L$|Liberia
LSL|426|2|Lesotho loti|L|Lesotho
LYD|434|3|Libyan dinar|LD|Libya
MAD|504|2|Moroccan dirham|DH|Morocco, Western Sahara
MDL|498|2|Moldovan leu|L|Moldova
MGA|969|2|Malagasy ariary|Ar|Madagascar
MKD|807|2|Macedonian denar|ден|North Macedonia
MMK|104|2|Myanmar kyat|K|Myanmar
MNT|496|2|Mongolian tögrög|₮|Mongolia
MOP|446|2|Macanese pataca|MOP$|Macau
MRU|929|2|Mauritanian ouguiya|UM|Mauritania
MUR|480|2|Mauritian rupee|₨|Mauritius
MVR|462|2|Maldivian rufiyaa|Rf|Maldives
MWK|454|2|Malawian kwacha|MK|Malawi
MXN|484|2|Mexican peso|$|Mexico
MYR|458|2|Malaysian ringgit|RM|Malaysia
MZN|943|2|Mozambican metical|MT|Mozambique
NAD|516|2|Namibian dollar|N$|Namibia
NGN|566|2|Nigerian naira|₦|Nigeria
NIO|558|2|Nicaraguan córdoba|C$|Nicaragua
NOK|578|2|Norwegian krone|kr|Norway
NPR|524|2|Nepalese rupee|रू|Nepal
NZD|554|2|New Zealand dollar|NZ$|New Zealand
OMR|512|3|Omani rial|ر.ع.|Oman
PAB|590|2|Panamanian balboa|B/.|Panama
PEN|604|2|Peruvian sol|S/|Peru
PGK|598|2|Papua New Guinean kina|K|Papua New Guinea
PHP|608|2|Philippine peso|₱|Philippines
PKR|586|2|Pakistani rupee|₨|Pakistan
PLN|985|2|Polish złoty|zł|Poland
PYG|600|0|Paraguayan guaraní|₲|Paraguay
QAR|634|2|Qatari riyal|QR|Qatar
RON|946|2|Romanian leu|lei|Romania
RSD|941|2|Serbian dinar|din|Serbia
RUB|643|2|Russian ruble|₽|Russia
RWF|646|0|Rwandan franc|FRw|Rwanda
SAR|682|2|Saudi riyal|SR|Saudi Arabia
SBD|90|2|Solomon Islands dollar|SI$|Solomon Islands
SCR|690|2|Seychelles rupee|SRe|Seychelles
SDG|938|2|Sudanese pound|ج.س.|Sudan
SEK|752|2|Swedish krona|kr|Sweden
SGD|702|2|Singapore dollar|S$|Singapore
SHP|654|2|Saint Helena pound|£|Saint Helena, Ascension Island
SLL|694|2|Sierra Leonean leone|Le|Sierra Leone
SOS|706|2|Somali shilling|Sh.So.|Somalia
SRD|968|2|Surinamese dollar|$|Suriname
SSP|728|2|South Sudanese pound|£|South Sudan
STN|930|2|São Tomé and Príncipe dobra|Db|São Tomé and Príncipe
SVC|222|2|Salvadoran colón|₡|El Salvador
SYP|760|2|Syrian pound|£S|Syria
SZL|748|2|Swazi lilangeni|E|Eswatini
THB|764|2|Thai baht|฿|Thailand
TJS|972|2|Tajikistani somoni|SM|Tajikistan
TMT|934|2|Turkmenistan manat|m|Turkmenistan
TND|788|3|Tunisian dinar|DT|Tunisia
TOP|776|2|Tongan paʻanga|T$|Tonga
TRY|949|2|Turkish lira|₺|Turkey, Northern Cyprus
TTD|780|2|Trinidad and Tobago dollar|TT$|Trinidad and Tobago
TWD|901|2|New Taiwan dollar|NT$|Taiwan
TZS|834|2|Tanzanian shilling|TSh|Tanzania
UAH|980|2|Ukrainian hryvnia|₴|Ukraine
UGX|800|0|Ugandan shilling|USh|Uganda
USD|840|2|United States dollar|$|${USD_COUNTRIES}
UYU|858|2|Uruguayan peso|$U|Uruguay
UZS|860|2|Uzbekistan som|soʻm|Uzbekistan
VES|928|2|Venezuelan bolívar soberano|Bs.S.|Venezuela
VND|704|0|Vietnamese đồng|₫|Vietnam
VUV|548|0|Vanuatu vatu|VT|Vanuatu
WST|882|2|Samoan tālā|WS$|Samoa
XAF|950|0|Central African CFA franc|FCFA|Central Africa (CEMAC)
XAG|961||Silver (one troy ounce)||
XAU|959||Gold (one troy ounce)||
XBA|955||European Composite Unit (EURCO) (bond market unit)||
XBB|956||European Monetary Unit (E.M.U.-6) (bond market unit)||
XBC|957||European Unit of Account 9 (E.U.A.-9) (bond market unit)||
XBD|958||European Unit of Account 17 (E.U.A.-17) (bond market unit)||
XCD|951|2|East Caribbean dollar|$|Eastern Caribbean
XOF|952|0|West African CFA franc|CFA|West Africa (UEMOA)
XPD|964||Palladium (one troy ounce)||
XPF|953|0|CFP franc (franc Pacifique)|₣|French Polynesia, New Caledonia
XPT|962||Platinum (one troy ounce)||
XSU|994||SUCRE (Sistema Unitario de Compensación Regional de Pagos)||
XTS|963||Code reserved for testing||
XUA|965||ADB Unit of Account (African Development Bank)||
XXX|999||No currency||
YER|886|2|Yemeni rial|﷼|Yemen
ZAR|710|2|South African rand|R|South Africa
ZMW|967|2|Zambian kwacha|ZK|Zambia
ZWL|932|2|Zimbabwean dollar|Z$|Zimbabwe`;

let fiat: ReadonlyMap<string, FiatCurrency> | undefined;

function fiatTable(): ReadonlyMap<string, FiatCurrency> {
  if (fiat !== undefined) return fiat;
  const table = new Map<string, FiatCurrency>();
  for (const line of FIAT_DATA.split('\n')) {
    const [code, isoNum, decimals, name, symbol, countries] = line.split('|') as [
      string, string, string, string, string, string,
    ];
    table.set(
      code,
      Object.freeze({
        code,
        countries,
        decimals: decimals === '' ? null : Number(decimals),
        iso_num: Number(isoNum),
        name,
        symbol,
      }),
    );
  }
  return (fiat = table);
}

const cryptoEntry = (code: string, name: string): [string, CryptoCurrency] => [code, Object.freeze({code, name})];

const CRYPTO: ReadonlyMap<string, CryptoCurrency> = new Map([
  cryptoEntry('LTC', 'Litecoin'),
  cryptoEntry('ETH', 'Ethereum'),
]);

/**
 * The table entry for an ISO 4217 code. A Map lookup, unlike js's `code in
 * FIAT`, so "toString" or "__proto__" are custom codes rather than table hits
 * that build a wad with missing keys.
 */
export function fiatCurrency(code: string): FiatCurrency | undefined {
  return fiatTable().get(code);
}

/** All 169 fiat entries, in code order. */
export function fiatCurrencies(): FiatCurrency[] {
  return [...fiatTable().values()];
}

export function cryptoCurrency(code: string): CryptoCurrency | undefined {
  return CRYPTO.get(code);
}

/** The two crypto-table entries (LTC, ETH). */
export function cryptoCurrencies(): CryptoCurrency[] {
  return [...CRYPTO.values()];
}

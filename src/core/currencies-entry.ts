/** `moneysocket-elements/currencies`: the fiat and crypto tables and wads built from them. */
export {cryptoCurrencies, cryptoCurrency, fiatCurrencies, fiatCurrency, type CryptoCurrency, type FiatCurrency} from './currencies.js';
export {decodeWad, makeWad} from './wad-assets.js';

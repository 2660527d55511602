export {
  ageOn,
  EARLIEST_BIRTH_DATE,
  isCalendarDate,
  isValidResidentId,
  makeResidentId,
  parseResidentId,
  residentIdCheckChar,
  type ParseResidentIdOptions,
  type ParseResidentIdResult,
  type ResidentId,
  type ResidentIdError,
} from './resident-id.js';
export {
  creditCodeCheckChar,
  isValidCreditCode,
  makeCreditCode,
  organisationCodeCheckChar,
  parseCreditCode,
  type CreditCode,
  type CreditCodeError,
  type ParseCreditCodeResult,
} from './credit-code.js';

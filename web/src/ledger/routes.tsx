import { Route } from 'react-router-dom';
import { FindingListPage } from './FindingListPage.js';
import { FindingPage } from './FindingPage.js';

/** Routes of the benefit ledger's findings, mounted inside the app shell. */
export const ledgerRoutes = [
  <Route key="findings" path="ledger/findings" element={<FindingListPage />} />,
  <Route key="finding" path="ledger/findings/:id" element={<FindingPage />} />,
];

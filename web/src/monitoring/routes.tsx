import { Route } from 'react-router-dom';
import { AlertListPage } from './AlertListPage.js';
import { AlertPage } from './AlertPage.js';
import { OverviewPage } from './OverviewPage.js';

/** Routes of dynamic monitoring, mounted inside the app shell. */
export const monitoringRoutes = [
  <Route key="alerts" path="alerts" element={<AlertListPage />} />,
  <Route key="alert" path="households/:hid/alerts/:alertId" element={<AlertPage />} />,
  <Route key="monitoring" path="monitoring" element={<OverviewPage />} />,
];

import { Route } from 'react-router-dom';
import { AuditPage } from './AuditPage.js';

/** Routes of the audit feature, mounted inside the app shell. */
export const auditRoutes = [<Route key="audit" path="audit" element={<AuditPage />} />];

"""Console settings pages for the catalog, for admins and supervisors: product models,
warranty policies, fault codes and spare parts, one module each."""

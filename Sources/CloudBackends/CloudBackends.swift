// The CloudBackends module.

console.log("vmmasm");

console.log("hybrid-env: work in progress");

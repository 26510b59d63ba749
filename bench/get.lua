-- wrk script: a minimal authenticated GET (the gate itself), for the ratio in G1's benchmark.
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
end

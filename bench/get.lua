-- wrk script: an authenticated GET of the URL given (G1: /api/auth/me, the minimal one, and /api/gates/{id}, one row).
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
end

// The console's only way to the server: JSON over fetch with the login token as a Bearer header.

const TOKEN_KEY = "fraudnet.token";
const USER_KEY = "fraudnet.user";

export interface Session {
  user_id: string;
  role: string;
  organisation?: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// sessionStorage: the token dies with the tab, so a shared machine does not keep analysts logged in.
export function session(): Session | null {
  const raw = sessionStorage.getItem(USER_KEY);
  return raw && sessionStorage.getItem(TOKEN_KEY) ? (JSON.parse(raw) as Session) : null;
}

export function logout(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
}

export async function login(user: string, password: string): Promise<Session> {
  const body = await request<Record<string, unknown>>("POST", "/api/login", {
    user_id: user,
    password,
  });
  const token = String(body.token ?? "");
  if (!token) throw new ApiError(500, "the server sent no token");
  const sent = (body.user ?? {}) as Partial<Session>;
  const who: Session = {
    user_id: String(sent.user_id ?? user),
    role: String(sent.role ?? ""),
    organisation: sent.organisation ?? null,
  };
  sessionStorage.setItem(TOKEN_KEY, token);
  sessionStorage.setItem(USER_KEY, JSON.stringify(who));
  return who;
}

export function get<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") query.set(k, String(v));
  const qs = query.toString();
  return request<T>("GET", qs ? `${path}?${qs}` : path);
}

export function post<T>(path: string, body: unknown): Promise<T> {
  return request<T>("POST", path, body);
}

export function put<T>(path: string, body: unknown): Promise<T> {
  return request<T>("PUT", path, body);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data: unknown = text ? safeJson(text) : null;
  if (!response.ok) {
    if (response.status === 401 && path !== "/api/login") {
      logout();
      location.hash = "#/login";
    }
    throw new ApiError(response.status, errorMessage(data, response));
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorMessage(data: unknown, response: Response): string {
  if (data && typeof data === "object" && "detail" in data) {
    const detail = (data as { detail: unknown }).detail;
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail))
      return detail
        .map((d) => (d && typeof d === "object" && "msg" in d ? String((d as { msg: unknown }).msg) : String(d)))
        .join("; ");
    return JSON.stringify(detail);
  }
  return `${response.status} ${response.statusText}`;
}

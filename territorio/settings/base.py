"""Configuración de Territorio: todo valor viene del entorno (django-environ).

Los valores obligatorios en producción (SECRET_KEY, DATABASE_URL) detienen el arranque si faltan.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import environ
from django.core.exceptions import ImproperlyConfigured

from capas.mapas.paquetes import directorios_estaticos

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env.str("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "leaflet",
    "concurrency",
    "pgtrigger",
    # Terceros con nombres en español en el admin (apps/nucleo/apps_terceros.py).
    "apps.nucleo.apps_terceros.PGHistoryConfig",
    "pghistory.admin",
    "apps.nucleo.apps_terceros.AxesConfig",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Cola de trabajos en la misma PostgreSQL (docs/capas.md § Trabajos); antes de capas.
    "apps.nucleo.apps_terceros.ProcrastinateConfig",
    "capas",
    "apps.nucleo",
    "apps.cuentas",
    "apps.comunas",
    "apps.proyectos",
    "apps.patrimonio",
    "apps.ordenamiento",
    "apps.indicadores",
    "apps.demo",
    "apps.visor",
    "apps.api",
]

MIDDLEWARE = [
    # Primero: una vista que no alcanza la base responde 503 en español (el resto, handler500).
    "apps.nucleo.middleware.BaseNoDisponibleMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Teselas vectoriales: se atienden aquí, sin el resto de la pila (ver capas/servicio/atajo.py).
    "capas.servicio.atajo.AtajoTeselasMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Anota usuario y URL en cada evento de auditoría escrito durante la petición.
    "pghistory.middleware.HistoryMiddleware",
    # Convierte un ingreso bloqueado por demasiados fallos en la respuesta 429 (va al final).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "territorio.urls"
WSGI_APPLICATION = "territorio.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.nucleo.context_processors.territorio",
            ],
        },
    },
]

DATABASES = {"default": env.db_url("DATABASE_URL")}
# django-environ no decodifica un socket unix escrito como %2Fruta%2Fal%2Fsocket.
DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST", ""))
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Sentencias preparadas: Django las desactiva (sus cursores interpolan los parámetros y no preparan
# nunca); solo las usan los cursores de teselas (capas/servicio/teselas.py). Con PgBouncer en modo
# transacción anterior a 1.21, poner PG_PREPARE_THRESHOLD= (vacío) para no preparar.
_umbral_preparacion = env.str("PG_PREPARE_THRESHOLD", default="2")
DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
    int(_umbral_preparacion) if _umbral_preparacion else None
)
# Un servidor de base que no contesta (red caída) falla en segundos y la página responde 503, en vez
# de esperar el timeout de TCP y dejar al trabajador de gunicorn sin responder.
DATABASES["default"]["OPTIONS"]["connect_timeout"] = env.int("PG_CONNECT_TIMEOUT", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _credenciales_bd(variable: str) -> dict | None:
    """Devuelve usuario, clave, host y puerto de la URL en ``variable`` (la base es la de DATABASE_URL)."""
    url = env.str(variable, default="")
    if not url:
        return None
    config = environ.Env.db_url_config(url)
    if config.get("NAME") and config["NAME"] != DATABASES["default"]["NAME"]:
        raise ImproperlyConfigured(f"{variable} debe apuntar a la misma base que DATABASE_URL.")
    return {
        "USER": config.get("USER", ""),
        "PASSWORD": config.get("PASSWORD", ""),
        "HOST": unquote(config.get("HOST", "")),
        "PORT": config.get("PORT", ""),
    }


# Mínimo privilegio (docs/seguridad.md, «Base de datos»): DATABASE_URL es la del proceso (el rol de
# la aplicación, sin DDL); migrate usa la del dueño de las tablas y qgis_acceso_crear la de un
# administrador con CREATEROLE para crear su rol. Ambas opcionales: sin ellas se usa DATABASE_URL.
TERRITORIO_BD_MIGRACION = _credenciales_bd("TERRITORIO_DATABASE_URL_MIGRACION")
TERRITORIO_BD_ADMIN = _credenciales_bd("TERRITORIO_DATABASE_URL_ADMIN")
# Rol de la aplicación al que migrate otorga lectura y escritura de filas (nada más).
TERRITORIO_BD_ROL_APP = env.str("TERRITORIO_BD_ROL_APP", default="territorio_app")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# El primero solo vigila los intentos fallidos (django-axes); el segundo autentica.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Tope de ingresos fallidos, en la base (vale para todos los procesos): 10 por usuario desde una misma
# dirección en 15 minutos, en la página de ingreso, el admin y HTTP Basic. Por usuario y dirección, no
# solo por dirección: toda la municipalidad puede salir a internet por una sola IP.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apps.nucleo.views.respuesta_bloqueo"
# Sesiones en caché local con respaldo en la base: evita una consulta por petición (teselas, páginas).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inicio"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "es-cl"
LANGUAGES = [("es-cl", "Español (Chile)")]
TIME_ZONE = "America/Santiago"
USE_I18N = True
USE_TZ = True
# Formatos de Chile (territorio/formatos/es_CL): dd-mm-aaaa, miles con punto y decimales con coma.
FORMAT_MODULE_PATH = ["territorio.formatos"]
USE_THOUSAND_SEPARATOR = True
# Traducciones propias de textos de terceros (django-axes no trae español).
LOCALE_PATHS = [BASE_DIR / "locale"]

# Correo (invitaciones): sin EMAIL_HOST no se envía nada y el administrador entrega el enlace.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="territorio@localhost")
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends." + ("smtp" if EMAIL_HOST else "dummy") + ".EmailBackend",
)

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
# Propios y, bajo vendor/, los de terceros que instala npm (package-lock.json) para los mapas.
STATICFILES_DIRS = [BASE_DIR / "static", *directorios_estaticos(BASE_DIR)]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Detrás de un proxy TLS (producción) todo va por HTTPS; ./run serve sirve HTTP en loopback.
HTTPS = env.bool("TERRITORIO_HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_FAILURE_VIEW = "apps.nucleo.errores.error_csrf"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"consola": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["consola"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Sin el saludo de django-axes al iniciar: ensuciaba la salida de error de cada orden de manage.py.
    # Procrastinate anuncia en INFO cada tarea que registra, en cada proceso (el trabajador lo sube).
    "loggers": {"axes.apps": {"level": "WARNING"}, "procrastinate": {"level": "WARNING"}},
}

# gis.W001: el GDAL 3.6 de Debian 12 no deja a SpatialReference bloquear archivos ni red (pide 3.9).
# capas.gdal_seguro corta la red de ese GDAL al arrancar, y SpatialReference solo recibe códigos EPSG
# o el WKT que pyogrio leyó de un archivo verificado, nunca una ruta (docs/seguridad.md).
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# --- Reglas espaciales (docs/srid.md) ---
# SRID de almacenamiento: una sola constante para todo el proyecto.
TERRITORIO_SRID = 4326
# Comuna configurada (CUT de 5 dígitos) y tolerancia del límite comunal, en metros.
TERRITORIO_COMUNA_CUT = env.str("TERRITORIO_COMUNA_CUT", default="09117")
TERRITORIO_TOLERANCIA_LIMITE_M = env.float("TERRITORIO_TOLERANCIA_LIMITE_M", default=1000.0)
# Datos públicos reales (Censo 2017, INE, chilemapas…): la demo carga de aquí los sectores censales.
TERRITORIO_DATOS_REALES = env.path(
    "TERRITORIO_DATOS_REALES", default=BASE_DIR.parent / "shared" / "data" / "real"
)
# Días antes del término en que una concesión pasa de «vigente» a «por vencer» (filtro del visor).
TERRITORIO_CONCESION_DIAS_POR_VENCER = env.int("TERRITORIO_CONCESION_DIAS_POR_VENCER", default=90)
# Informe de superposición (docs/ordenamiento.md): radio de la restricción más cercana (m), tope de
# vértices del polígono analizado y vértices por fragmento de las restricciones preparadas.
TERRITORIO_RADIO_CERCANIA_M = env.float("TERRITORIO_RADIO_CERCANIA_M", default=5000.0)
TERRITORIO_ANALISIS_MAX_VERTICES = env.int("TERRITORIO_ANALISIS_MAX_VERTICES", default=20000)
TERRITORIO_FRAGMENTO_VERTICES = env.int("TERRITORIO_FRAGMENTO_VERTICES", default=256)
# Ancho por omisión (m, a cada lado) de la franja de protección de cauces (apps/ordenamiento/cauces.py).
TERRITORIO_FRANJA_CAUCES_M = env.float("TERRITORIO_FRANJA_CAUCES_M", default=30.0)
# Búsqueda del visor (/capas/buscar/): resultados como máximo.
CAPAS_BUSQUEDA_MAX_RESULTADOS = env.int("CAPAS_BUSQUEDA_MAX_RESULTADOS", default=20)
# Límite con que el motor de capas verifica que una capa importada toque la comuna o su entorno
# (una función sin argumentos que devuelve un GEOS en 4326 o None). capas no importa apps.
CAPAS_LIMITE_REFERENCIA = "apps.comunas.selectors.limite_referencia"
# Entorno aceptado alrededor del límite al importar capas (m): cuencas y regiones lo exceden.
CAPAS_ENTORNO_M = env.float("CAPAS_ENTORNO_M", default=20000.0)
# Capas importadas con más elementos que esto se dibujan en el visor como teselas MVT, no GeoJSON.
CAPAS_VISOR_UMBRAL_TESELAS = env.int("CAPAS_VISOR_UMBRAL_TESELAS", default=2000)

# --- Auditoría (django-pghistory) ---
PGHISTORY_ADMIN_MODEL = "nucleo.Historial"
# Un GET no escribe: sin contexto de auditoría se ahorra cargar el usuario y envolver cada consulta
# (en teselas y GeoJSON era la mitad del tiempo de la petición).
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PGHISTORY_ADMIN_CLASS = "apps.nucleo.admin_historial.HistorialAdmin"

# --- Bloqueo optimista (django-concurrency): conflicto en español ---
CONCURRENCY_CALLBACK = "apps.nucleo.concurrencia.conflicto"

# --- Mapas del admin: Leaflet servido desde el paquete, sin teselas externas por defecto ---
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (-38.99, -73.1),
    "DEFAULT_ZOOM": 10,
    "TILES": env.json("TERRITORIO_TESELAS", default=[]),
    "ATTRIBUTION_PREFIX": "Territorio",
    "RESET_VIEW": False,
    "NO_GLOBALS": False,
    # Límite comunal y localidades como referencia en cada mapa de formulario (sin teselas).
    "PLUGINS": {"forms": {"js": ["js/mapa_formulario.js"]}},
}

# Capas bajo todo mapa chico (widgets de edición, visor, impresión), de abajo arriba; se suman las
# capas de referencia marcadas «de contexto» por un administrador (capas.mapas.base).
CAPAS_CONTEXTO = ("comunas", "localidades")

# --- Trabajos en segundo plano (capas/trabajos, docs/capas.md § Trabajos) ---
# Cada trabajo corre en un proceso hijo con tope de tiempo (s) y de memoria (MiB); por tipo se
# pueden fijar otros con CAPAS_TRABAJOS_LIMITES='{"importacion": {"tiempo_s": 600, "memoria_mib": 1024}}'.
CAPAS_TRABAJOS_TIEMPO_S = env.int("CAPAS_TRABAJOS_TIEMPO_S", default=15 * 60)
CAPAS_TRABAJOS_MEMORIA_MIB = env.int("CAPAS_TRABAJOS_MEMORIA_MIB", default=2048)
CAPAS_TRABAJOS_LIMITES = env.json("CAPAS_TRABAJOS_LIMITES", default={})
# Carpetas de trabajo (subida, temporales del hijo): del proyecto, nunca /tmp compartido.
CAPAS_TRABAJOS_DIR = env.path("CAPAS_TRABAJOS_DIR", default=BASE_DIR / "var" / "trabajos")
# El conserje borra los temporales de importación del sistema con más de estos minutos.
CAPAS_TRABAJOS_TEMPORALES_MIN = env.int("CAPAS_TRABAJOS_TEMPORALES_MIN", default=60)
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "tareas"

# --- API REST (/api/, docs/api.md) ---
REST_FRAMEWORK = {
    # Basic primero: sin credenciales la respuesta es 401 con el desafío (como la OGC API).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.api.autenticacion.BasicTerritorio",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.api.permisos.PermisosDeRol"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["apps.api.analizador.LectorJSON"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.api.errores.manejar_excepcion",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API de Territorio",
    "DESCRIPTION": (
        "Proyectos, bienes inmuebles, activos, concesiones y propuestas de uso de suelo de la comuna. "
        "Geometrías GeoJSON en EPSG:4326 (campo «geometry»). Autenticación por sesión (con CSRF) o "
        "HTTP Basic; el rol decide qué se puede leer y escribir. Errores: {detalle, errores} en español."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Sin el validador externo de Swagger UI (validator.swagger.io): nada sale del servidor.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # «tipo» y «estado» se repiten con otras opciones en activos, concesiones y propuestas.
    "ENUM_NAME_OVERRIDES": {
        "TipoActivoEnum": "apps.patrimonio.choices.TipoActivo",
        "TipoConcesionEnum": "apps.patrimonio.choices.TipoConcesion",
        "EstadoConcesionEnum": "apps.patrimonio.choices.EstadoConcesion",
        "EstadoPropuestaEnum": "apps.ordenamiento.choices.EstadoPropuesta",
        # El uso de suelo lo piden las propuestas y el análisis de superposición.
        "UsoSueloEnum": "apps.ordenamiento.choices.UsoSuelo",
        "CondicionEnum": "apps.ordenamiento.choices.Condicion",
    },
}

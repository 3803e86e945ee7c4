{{/* Chart name, overridable. */}}
{{- define "healer.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: <release>-healer (release "cto" -> "cto-healer", the platform's default endpoint
http://cto-healer:8083), or the release name alone when it already contains the chart name.
*/}}
{{- define "healer.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "healer.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "healer.selectorLabels" -}}
app.kubernetes.io/name: {{ include "healer.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "healer.labels" -}}
helm.sh/chart: {{ include "healer.chart" . }}
{{ include "healer.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: cto
{{- end }}

{{- define "healer.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "healer.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "healer.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "healer.secretName" -}}
{{- default (printf "%s-secrets" (include "healer.fullname" .)) .Values.secrets.name }}
{{- end }}

{{/* "postgres" with an existing Secret or a CloudNativePG Cluster, else "sqlite". */}}
{{- define "healer.storeKind" -}}
{{- if or .Values.store.postgres.existingSecret .Values.postgres.cloudnativepg.enabled }}postgres{{ else }}sqlite{{ end }}
{{- end }}

{{/* Name of the CloudNativePG Cluster (its app Secret is "<name>-app"). */}}
{{- define "healer.cnpgCluster" -}}
{{- printf "%s-pg" (include "healer.fullname" .) | trunc 50 | trimSuffix "-" }}
{{- end }}

{{/* HEALER_STORE as an EnvVar: the PostgreSQL URL from a Secret, or the SQLite path. */}}
{{- define "healer.storeEnv" -}}
- name: HEALER_STORE
{{- if .Values.postgres.cloudnativepg.enabled }}
  valueFrom:
    secretKeyRef:
      name: {{ include "healer.cnpgCluster" . }}-app
      key: uri
{{- else if .Values.store.postgres.existingSecret }}
  valueFrom:
    secretKeyRef:
      name: {{ .Values.store.postgres.existingSecret }}
      key: {{ .Values.store.postgres.secretKey }}
{{- else }}
  value: {{ printf "sqlite:%s" .Values.store.sqlite.path | quote }}
{{- end }}
{{- end }}

{{/* HEALER_NAMESPACES */}}
{{- define "healer.namespaces" -}}
{{- if .Values.watch.clusterWide }}*{{ else }}{{ join "," (include "healer.watchedNamespaces" . | fromJsonArray) }}{{ end }}
{{- end }}

{{/* Watched namespaces as a JSON array (the release namespace when the list is empty). */}}
{{- define "healer.watchedNamespaces" -}}
{{- $ns := .Values.watch.namespaces | default (list .Release.Namespace) }}
{{- $ns | uniq | toJson }}
{{- end }}

{{/*
Path -> ConfigMap key for prompt files: "alerts/a7.hbs" -> "alerts__a7.hbs" (keys cannot hold "/").
*/}}
{{- define "healer.promptKey" -}}
{{- replace "/" "__" . }}
{{- end }}

{{/* The prompt files: the chart's copy (files/prompts) with values overrides on top, path -> text. */}}
{{- define "healer.promptFiles" -}}
{{- $files := dict }}
{{- range $path, $_ := .Files.Glob "files/prompts/**" }}
{{- $_ := set $files (trimPrefix "files/prompts/" $path) ($.Files.Get $path) }}
{{- end }}
{{- range $path, $text := .Values.prompts.overrides }}
{{- $_ := set $files $path $text }}
{{- end }}
{{- toJson $files }}
{{- end }}

{{/* heal-config.json as rendered into its ConfigMap. */}}
{{- define "healer.healConfig" -}}
{{- toPrettyJson .Values.healConfig }}
{{- end }}

{{/* Chart-level checks that the schema cannot express. */}}
{{- define "healer.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (eq (include "healer.storeKind" .) "sqlite") }}
{{- fail "replicaCount > 1 needs PostgreSQL (store.postgres.existingSecret or postgres.cloudnativepg.enabled): SQLite has one writer" }}
{{- end }}
{{- if and .Values.store.postgres.existingSecret .Values.postgres.cloudnativepg.enabled }}
{{- fail "set either store.postgres.existingSecret or postgres.cloudnativepg.enabled, not both" }}
{{- end }}
{{- if and (eq (include "healer.storeKind" .) "sqlite") (not (hasPrefix "/data/" .Values.store.sqlite.path)) }}
{{- fail "store.sqlite.path must be under /data/ (the only writable volume besides /tmp)" }}
{{- end }}
{{- if not .Values.watch.clusterWide }}
{{- $ns := include "healer.watchedNamespaces" . | fromJsonArray }}
{{- $coderunNs := "cto" }}
{{- with .Values.healConfig.coderun }}{{ with .namespace }}{{ $coderunNs = . }}{{ end }}{{ end }}
{{- if not (has $coderunNs $ns) }}
{{- fail (printf "healConfig.coderun.namespace %q is not watched: add it to watch.namespaces (Healer creates and follows CodeRuns there)" $coderunNs) }}
{{- end }}
{{- end }}
{{- end }}

# Sourced by bench/run.sh and bench/h2load.sh: writes an nginx config under $WORK/nginx-<name>/ (both scripts use the
# same `return 200` upstream, so their rows compare). Needs WORK set.
nginx_conf() { # name, worker processes, server block(s)
  mkdir -p "$WORK/nginx-$1"
  cat >"$WORK/nginx-$1/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes $2;
pid $WORK/nginx-$1/nginx.pid;
error_log $WORK/nginx-$1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  client_body_temp_path $WORK/nginx-$1/body;
  proxy_temp_path $WORK/nginx-$1/proxy;
  fastcgi_temp_path $WORK/nginx-$1/fastcgi;
  uwsgi_temp_path $WORK/nginx-$1/uwsgi;
  scgi_temp_path $WORK/nginx-$1/scgi;
$3
}
EOF
}

